package io.sluice.sinks.core;

import io.sluice.common.dlq.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.redact.Redaction;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one {@link ExactlyOnceSink} needs, validated once here so the loop never meets a bad value.
 *
 * @param stage             name of the stage, e.g. {@code records-sink}: DLQ header, pool and client names
 * @param groupId           consumer group; also the key of this sink's rows in {@code sluice_offsets}
 * @param topics            topics to consume
 * @param connection        Kafka: the consumer and the dead-letter producer are built from it
 * @param jdbcUrl           PostgreSQL JDBC URL, without credentials
 * @param dbUser            PostgreSQL role
 * @param dbPassword        its password, empty for trust auth
 * @param schema            schema that Flyway migrates, that holds {@code sluice_offsets}, and that is the
 *                          {@code search_path} of the sink's connections (writers may use unqualified names)
 * @param applicationName   PostgreSQL {@code application_name} of the sink's connections, so operators and
 *                          tests find its backends in {@code pg_stat_activity} (at most 63 ASCII characters,
 *                          PostgreSQL truncates longer names)
 * @param batchSize         flush when this many records are buffered
 * @param flushInterval     flush when the oldest buffered record has waited this long
 * @param backoffMin        first retry delay after a transient failure
 * @param backoffMax        cap of the exponentially growing retry delay
 * @param dlqTopicPattern   dead-letter topic for a source topic; {@code ${topic}} is replaced by the source
 *                          topic name ({@code ${topic}.dlq}, the default), a name without it is used as is
 *                          (one {@code <stage>.dlq} for all topics)
 * @param poolSize          maximum PostgreSQL connections (the loop uses one at a time; writers may want more)
 * @param consumerOverrides extra Kafka consumer properties (security, timeouts); the ones the sink's
 *                          guarantees depend on are refused
 * @param producerOverrides extra properties of the dead-letter producer, same rule
 * @param meterRegistry     where the sink's meters go (records in and out, batch sizes, flush latency, DLQ,
 *                          retries, the consumer's own metrics); by default one that keeps nothing
 */
public record SinkConfig(String stage, String groupId, List<String> topics, ConnectionSettings connection,
                         String jdbcUrl, String dbUser, String dbPassword, String schema, String applicationName,
                         int batchSize, Duration flushInterval, Duration backoffMin, Duration backoffMax,
                         String dlqTopicPattern, int poolSize,
                         Map<String, String> consumerOverrides, Map<String, String> producerOverrides,
                         MeterRegistry meterRegistry) {

    public static final String TOPIC_PLACEHOLDER = "${topic}";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._\\-]+");
    private static final Set<String> CONSUMER_OWNED = Set.of("bootstrap.servers", "group.id", "key.deserializer",
            "value.deserializer", "enable.auto.commit", "auto.offset.reset", "isolation.level");
    private static final Set<String> PRODUCER_OWNED = Set.of("bootstrap.servers", "key.serializer",
            "value.serializer", "enable.idempotence", "acks", "transactional.id");

    public SinkConfig {
        DeadLetter.requireCode(stage, "stage");
        requireText(groupId, "groupId");
        Objects.requireNonNull(connection, "connection");
        requireText(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be a PostgreSQL JDBC URL, got " + Redaction.url(jdbcUrl));
        }
        Objects.requireNonNull(topics, "topics");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) throw new IllegalArgumentException("topics must not be empty");
        for (String t : topics) requireText(t, "topics element");
        dbUser = dbUser == null ? "" : dbUser;
        dbPassword = dbPassword == null ? "" : dbPassword;
        requireText(schema, "schema");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must match " + IDENTIFIER + " (it is used unquoted), got " + schema);
        }
        requireText(applicationName, "applicationName");
        if (applicationName.getBytes(StandardCharsets.UTF_8).length > 63
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(applicationName)) {
            throw new IllegalArgumentException("applicationName must be at most 63 ASCII characters, got " + applicationName);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        requirePositive(flushInterval, "flushInterval");
        requirePositive(backoffMin, "backoffMin");
        requirePositive(backoffMax, "backoffMax");
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffMin " + backoffMin);
        }
        requireText(dlqTopicPattern, "dlqTopicPattern");
        String literal = dlqTopicPattern.replace(TOPIC_PLACEHOLDER, "x");
        if (!TOPIC_CHARS.matcher(literal).matches()) {
            throw new IllegalArgumentException("dlqTopicPattern gives an invalid topic name: " + dlqTopicPattern);
        }
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        consumerOverrides = checkOverrides(consumerOverrides, CONSUMER_OWNED, "consumerOverrides");
        producerOverrides = checkOverrides(producerOverrides, PRODUCER_OWNED, "producerOverrides");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    /** A builder with the defaults: schema {@code public}, 500 records or 1 s, backoff 100 ms..10 s, {@code ${topic}.dlq}. */
    public static Builder builder(String stage, String groupId, ConnectionSettings connection, String jdbcUrl) {
        return new Builder(stage, groupId, connection, jdbcUrl);
    }

    /** This configuration with the sink's meters going to {@code registry}. */
    public SinkConfig withMeterRegistry(MeterRegistry registry) {
        return new SinkConfig(stage, groupId, topics, connection, jdbcUrl, dbUser, dbPassword, schema,
                applicationName, batchSize, flushInterval, backoffMin, backoffMax, dlqTopicPattern, poolSize,
                consumerOverrides, producerOverrides, registry);
    }

    /** The dead-letter topic of a source topic. */
    public String dlqTopicFor(String sourceTopic) {
        return dlqTopicPattern.replace(TOPIC_PLACEHOLDER, sourceTopic);
    }

    @Override
    public String toString() {
        // Never print the password (it ends up in logs).
        return "SinkConfig[stage=" + stage + ", groupId=" + groupId + ", topics=" + topics + ", connection="
                + connection + ", jdbcUrl=" + Redaction.url(jdbcUrl) + ", dbUser=" + dbUser + ", schema=" + schema
                + ", applicationName=" + applicationName + ", batchSize=" + batchSize + ", flushInterval="
                + flushInterval + ", backoff=" + backoffMin + ".." + backoffMax + ", dlqTopicPattern=" + dlqTopicPattern
                + ", poolSize=" + poolSize + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }

    private static Map<String, String> checkOverrides(Map<String, String> overrides, Set<String> owned, String name) {
        if (overrides == null) return Map.of();
        for (String key : overrides.keySet()) {
            if (owned.contains(key)) {
                throw new IllegalArgumentException(name + " must not set " + key + ": the sink owns it (owned: "
                        + owned.stream().sorted().toList() + ")");
            }
        }
        return Map.copyOf(overrides);
    }

    /** Fills in the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String stage;
        private final String groupId;
        private final ConnectionSettings connection;
        private final String jdbcUrl;
        private List<String> topics = List.of();
        private String dbUser = "";
        private String dbPassword = "";
        private String schema = "public";
        private String applicationName;
        private int batchSize = 500;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration backoffMin = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(10);
        private String dlqTopicPattern = TOPIC_PLACEHOLDER + ".dlq";
        private int poolSize = 2;
        private Map<String, String> consumerOverrides = Map.of();
        private Map<String, String> producerOverrides = Map.of();
        // An empty composite records nothing: metrics cost nothing unless a caller asks for them.
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();

        private Builder(String stage, String groupId, ConnectionSettings connection, String jdbcUrl) {
            this.stage = stage;
            this.groupId = groupId;
            this.connection = connection;
            this.jdbcUrl = jdbcUrl;
            this.applicationName = stage == null ? null : "sluice-" + stage;
        }

        public Builder topics(String... topics) { this.topics = List.of(topics); return this; }
        public Builder topics(List<String> topics) { this.topics = topics; return this; }
        public Builder credentials(String user, String password) { this.dbUser = user; this.dbPassword = password; return this; }
        public Builder schema(String schema) { this.schema = schema; return this; }
        public Builder applicationName(String name) { this.applicationName = name; return this; }
        public Builder batchSize(int batchSize) { this.batchSize = batchSize; return this; }
        public Builder flushInterval(Duration interval) { this.flushInterval = interval; return this; }
        public Builder backoff(Duration min, Duration max) { this.backoffMin = min; this.backoffMax = max; return this; }
        public Builder dlqTopicPattern(String pattern) { this.dlqTopicPattern = pattern; return this; }
        public Builder poolSize(int poolSize) { this.poolSize = poolSize; return this; }
        public Builder consumerOverrides(Map<String, String> props) { this.consumerOverrides = props; return this; }
        public Builder producerOverrides(Map<String, String> props) { this.producerOverrides = props; return this; }
        public Builder meterRegistry(MeterRegistry registry) { this.meterRegistry = registry; return this; }

        public SinkConfig build() {
            return new SinkConfig(stage, groupId, topics, connection, jdbcUrl, dbUser, dbPassword, schema,
                    applicationName, batchSize, flushInterval, backoffMin, backoffMax, dlqTopicPattern, poolSize,
                    consumerOverrides, producerOverrides, meterRegistry);
        }
    }
}
