package io.sluice.backfill.publish;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.TopicNames;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Settings of {@code sluice publish-dids}, validated here.
 *
 * @param connection       Kafka and schema registry
 * @param topic            where the DidWorkItems go, normally {@value TopicNames#BACKFILL_DIDS}
 * @param runId            the run id every DidWorkItem carries: letters, digits and {@code . _ : -}, at most 128
 * @param partitions       partitions of the topic if it has to be created (an existing topic is left alone)
 */
public record PublishDidsConfig(ConnectionSettings connection, String topic, String runId, int partitions) {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    public PublishDidsConfig {
        java.util.Objects.requireNonNull(connection, "connection").requireRegistry();
        requireText(topic, "topic");
        requireText(runId, "runId");
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must be 1 to 128 of letters, digits and . _ : -, got '" + runId + "'");
        }
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }

    /** The default topic and partition count, and {@code runId} (null or blank: a new one). */
    public static PublishDidsConfig of(ConnectionSettings connection, String runId) {
        return new PublishDidsConfig(connection, TopicNames.BACKFILL_DIDS,
                runId == null || runId.isBlank() ? newRunId(Clock.systemUTC()) : runId, TopicAdmin.DEFAULT_PARTITIONS);
    }

    public PublishDidsConfig withTopic(String otherTopic) {
        return new PublishDidsConfig(connection, otherTopic, runId, partitions);
    }

    /** {@code run-20250314T091500Z-3f9a}: sortable by start time, and unlikely to repeat within a second. */
    public static String newRunId(Clock clock) {
        return "run-" + RUN_TIME.format(clock.instant()) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }
}
