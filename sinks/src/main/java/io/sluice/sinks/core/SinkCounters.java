package io.sluice.sinks.core;

import java.util.Map;

/**
 * A snapshot of what an {@link ExactlyOnceSink} has done since it was created.
 *
 * @param recordsWritten records handed to the writer in committed transactions
 * @param batches        committed transactions
 * @param deadLettered   records reported to the {@link ErrorReporter} in committed transactions
 * @param retries        failed attempts (transient PostgreSQL or dead-letter failures) that were retried
 * @param fenced         times a partition was found already advanced by another instance
 * @param writtenByTopic {@code recordsWritten} per source topic (e.g. repo records apart from DID statuses)
 */
public record SinkCounters(long recordsWritten, long batches, long deadLettered, long retries, long fenced,
                           Map<String, Long> writtenByTopic) {

    public SinkCounters {
        writtenByTopic = Map.copyOf(writtenByTopic);
    }

    /** Without a per-topic split, for sinks that read one topic. */
    public SinkCounters(long recordsWritten, long batches, long deadLettered, long retries, long fenced) {
        this(recordsWritten, batches, deadLettered, retries, fenced, Map.of());
    }

    /** Records written from {@code topic}; 0 for a topic not read (yet). */
    public long writtenFrom(String topic) {
        return writtenByTopic.getOrDefault(topic, 0L);
    }
}
