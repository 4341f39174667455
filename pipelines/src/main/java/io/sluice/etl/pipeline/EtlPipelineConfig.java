package io.sluice.etl.pipeline;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.PostgresEndpoint;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything an {@link EtlPipeline} needs, validated here once. Immutable; build it with
 * {@link #builder(ConnectionSettings, PostgresEndpoint)}, whose defaults are those of {@code sluice flattener}
 * and {@code sluice etl-sink}.
 *
 * @param connection          Kafka and the schema registry (required)
 * @param postgres            where the sinks write; may be null only when {@code sinkInstances} is 0 (a
 *                            flattener-only process such as {@code sluice flattener})
 * @param sourcePattern       the CDC topics the flattener reads
 * @param sourceTopic         a single CDC topic to create before the start (the pattern then matches
 *                            exactly it); empty when the topics come from elsewhere (Debezium)
 * @param rowsTopic           the flattener's output and the sinks' input, {@code etl.user-rows}
 * @param dlqTopic            the dead letters of both stages, {@code etl.dlq}
 * @param applicationId       the flattener's Streams application id
 * @param groupId             the sinks' consumer group, also the key of their stored offsets
 * @param partitions          partitions of the source and rows topics when created (the DLQ gets one)
 * @param sinkInstances       sink instances started in this process (0: none, they run elsewhere)
 * @param dbSchema            PostgreSQL schema of the 15 tables and of the stored offsets
 * @param sinkBatchSize       bundles per sink transaction (also the consumer's max.poll.records)
 * @param sinkFlushInterval   the longest a partial batch waits
 * @param sinkApplicationName the sinks' PostgreSQL application_name
 * @param stateDir            the flattener's Streams state directory; empty: one of this instance's own
 *                            under {@code StateDirectory.defaultBase()}
 * @param flattenerOverrides  Kafka Streams settings on top of the flattener's (threads, commit interval,
 *                            client tuning); not the ones this record owns
 */
public record EtlPipelineConfig(ConnectionSettings connection, PostgresEndpoint postgres, Pattern sourcePattern,
                                Optional<String> sourceTopic, String rowsTopic, String dlqTopic, String applicationId,
                                String groupId, int partitions, int sinkInstances, String dbSchema, int sinkBatchSize,
                                Duration sinkFlushInterval, String sinkApplicationName, Optional<Path> stateDir,
                                Map<String, Object> flattenerOverrides) {

    /** Partitions of the topics the pipeline creates, as {@code sluice flattener} and {@code generate-users} create them. */
    public static final int DEFAULT_PARTITIONS = 4;
    /** The sinks' default: {@link EtlSink}'s. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(500);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Streams settings the pipeline sets itself: overriding them would break a guarantee or the state directory claim. */
    private static final Set<String> OWNED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.STATE_DIR_CONFIG);

    public EtlPipelineConfig {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(sourcePattern, "sourcePattern");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        sourceTopic.ifPresent(t -> {
            if (!sourcePattern.matcher(t).matches()) {
                throw new IllegalArgumentException("sourceTopic '" + t + "' does not match sourcePattern " + sourcePattern);
            }
        });
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        if (sinkInstances < 0) throw new IllegalArgumentException("sinkInstances must be >= 0, got " + sinkInstances);
        if (sinkInstances > 0 && postgres == null) {
            throw new IllegalArgumentException("postgres is required when sinks run (sinkInstances " + sinkInstances + ")");
        }
        Objects.requireNonNull(dbSchema, "dbSchema");
        if (!SCHEMA.matcher(dbSchema).matches()) {
            // the sink's rule and wording: the schema is used unquoted in SQL
            throw new IllegalArgumentException("schema must match " + SCHEMA + " (it is used unquoted), got " + dbSchema);
        }
        if (sinkBatchSize < 1) throw new IllegalArgumentException("sinkBatchSize must be >= 1, got " + sinkBatchSize);
        Objects.requireNonNull(sinkFlushInterval, "sinkFlushInterval");
        if (sinkFlushInterval.isNegative() || sinkFlushInterval.isZero()) {
            throw new IllegalArgumentException("sinkFlushInterval must be positive, got " + sinkFlushInterval);
        }
        Objects.requireNonNull(sinkApplicationName, "sinkApplicationName");
        Objects.requireNonNull(stateDir, "stateDir");
        flattenerOverrides = Map.copyOf(Objects.requireNonNull(flattenerOverrides, "flattenerOverrides"));
        for (String key : flattenerOverrides.keySet()) {
            if (OWNED.contains(key)) {
                throw new IllegalArgumentException("flattenerOverrides must not set " + key + ": the pipeline owns it (owned: "
                        + OWNED.stream().sorted().toList() + ")");
            }
        }
        // The stage configs check the rest (ids, topic names, the flattener not reading its own output, the
        // sink's settings): built once here, so a bad value fails at start-up with the stage's message.
        new FlattenerConfig(applicationId, connection, sourcePattern, rowsTopic, dlqTopic);
        if (groupId == null || groupId.isBlank()) throw new IllegalArgumentException("groupId is required");
    }

    /** The defaults of {@code sluice flattener} and {@code sluice etl-sink}: standard topics and ids, public schema. */
    public static Builder builder(ConnectionSettings connection, PostgresEndpoint postgres) {
        return new Builder(connection, postgres);
    }

    /** A builder holding this config's values, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder(connection, postgres);
        b.sourcePattern = sourcePattern;
        b.sourceTopic = sourceTopic;
        b.rowsTopic = rowsTopic;
        b.dlqTopic = dlqTopic;
        b.applicationId = applicationId;
        b.groupId = groupId;
        b.partitions = partitions;
        b.sinkInstances = sinkInstances;
        b.dbSchema = dbSchema;
        b.sinkBatchSize = sinkBatchSize;
        b.sinkFlushInterval = sinkFlushInterval;
        b.sinkApplicationName = sinkApplicationName;
        b.stateDir = stateDir;
        b.flattenerOverrides = flattenerOverrides;
        return b;
    }

    /** The flattener's settings (its Streams overrides and state directory are the pipeline's to add). */
    public FlattenerConfig flattener() {
        return new FlattenerConfig(applicationId, connection, sourcePattern, rowsTopic, dlqTopic);
    }

    @Override
    public String toString() {
        return "EtlPipelineConfig[" + sourcePattern + " -> " + applicationId + " -> " + rowsTopic + " -> " + sinkInstances
                + " x " + groupId + " -> " + (postgres == null ? "-" : postgres.database()) + "/" + dbSchema + ", dlq " + dlqTopic
                + ", " + partitions + " partitions]";
    }

    /** Fills in the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final ConnectionSettings connection;
        private final PostgresEndpoint postgres;
        private Pattern sourcePattern = TopicNames.CDC_USERS_PATTERN;
        private Optional<String> sourceTopic = Optional.empty();
        private String rowsTopic = TopicNames.ETL_USER_ROWS;
        private String dlqTopic = TopicNames.ETL_DLQ;
        private String applicationId = FlattenerConfig.DEFAULT_APPLICATION_ID;
        private String groupId = EtlSink.GROUP_ID;
        private int partitions = DEFAULT_PARTITIONS;
        private int sinkInstances = 1;
        private String dbSchema = "public";
        private int sinkBatchSize = EtlSink.BATCH_SIZE;
        private Duration sinkFlushInterval = DEFAULT_FLUSH_INTERVAL;
        private String sinkApplicationName = "sluice-" + EtlSink.STAGE;
        private Optional<Path> stateDir = Optional.empty();
        private Map<String, Object> flattenerOverrides = Map.of();

        private Builder(ConnectionSettings connection, PostgresEndpoint postgres) {
            this.connection = connection;
            this.postgres = postgres;
        }

        /** Read every topic matching {@code pattern}; nothing is created for them. */
        public Builder sourcePattern(Pattern pattern) {
            this.sourcePattern = pattern;
            this.sourceTopic = Optional.empty();
            return this;
        }

        /** Read exactly {@code topic}, creating it (with {@code partitions}) before the start. */
        public Builder sourceTopic(String topic) {
            this.sourcePattern = Pattern.compile(Pattern.quote(Objects.requireNonNull(topic, "sourceTopic")));
            this.sourceTopic = Optional.of(topic);
            return this;
        }

        public Builder rowsTopic(String topic) { this.rowsTopic = topic; return this; }
        public Builder dlqTopic(String topic) { this.dlqTopic = topic; return this; }
        public Builder applicationId(String id) { this.applicationId = id; return this; }
        public Builder groupId(String id) { this.groupId = id; return this; }
        public Builder partitions(int n) { this.partitions = n; return this; }
        public Builder sinkInstances(int n) { this.sinkInstances = n; return this; }
        public Builder dbSchema(String schema) { this.dbSchema = schema; return this; }
        public Builder sinkBatchSize(int n) { this.sinkBatchSize = n; return this; }
        public Builder sinkFlushInterval(Duration interval) { this.sinkFlushInterval = interval; return this; }
        public Builder sinkApplicationName(String name) { this.sinkApplicationName = name; return this; }
        public Builder stateDir(Path dir) { this.stateDir = Optional.ofNullable(dir); return this; }
        public Builder flattenerOverrides(Map<String, ?> overrides) { this.flattenerOverrides = Map.<String, Object>copyOf(overrides); return this; }

        public EtlPipelineConfig build() {
            return new EtlPipelineConfig(connection, postgres, sourcePattern, sourceTopic, rowsTopic, dlqTopic, applicationId,
                    groupId, partitions, sinkInstances, dbSchema, sinkBatchSize, sinkFlushInterval, sinkApplicationName,
                    stateDir, flattenerOverrides);
        }
    }
}
