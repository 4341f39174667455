package io.sluice.sinks.backfill;

import io.sluice.schemas.topics.TopicNames;

/**
 * The two topics the records sink reads.
 *
 * @param records RepoRecords, normally {@value TopicNames#BACKFILL_RECORDS}
 * @param status  DidStatus, normally {@value TopicNames#BACKFILL_STATUS}
 */
public record RecordsSinkTopics(String records, String status) {

    public static final RecordsSinkTopics DEFAULT = new RecordsSinkTopics(TopicNames.BACKFILL_RECORDS, TopicNames.BACKFILL_STATUS);

    public RecordsSinkTopics {
        if (records == null || records.isBlank() || status == null || status.isBlank()) {
            throw new IllegalArgumentException("both topic names must be given, got " + records + ", " + status);
        }
        if (records.equals(status)) throw new IllegalArgumentException("records and status need two topics, got " + records);
    }
}
