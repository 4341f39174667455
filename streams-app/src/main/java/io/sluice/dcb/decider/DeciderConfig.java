package io.sluice.dcb.decider;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.schemas.topics.TopicNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the DCB decider, validated once when built. Immutable; change one setting with a
 * {@code with...} method.
 *
 * @param applicationId       Kafka Streams application id: consumer group, transactional id and
 *                            changelog topic prefix; changing it loses the index
 * @param connection          Kafka and schema registry: the Streams application is built from it
 * @param autoRegisterSchemas register the output schemas on first write (off: they must exist)
 * @param commandsTopic       input: AppendCommand, key {@code "dcb"}
 * @param eventsTopic         output: Event keyed by position
 * @param resultsTopic        output: AppendResult keyed by request id
 * @param dlqTopic            output: commands that cannot be read
 * @param commitInterval      how often the transaction commits; results become visible to
 *                            read_committed consumers only then, so this bounds append latency
 * @param storeType           where the stores live locally
 * @param stateDir            local state directory; empty: Kafka Streams' default
 * @param replicationFactor   of the changelog topics; -1: the broker's default
 * @param cacheMaxBytes       record cache over the stores ({@code statestore.cache.max.bytes})
 * @param limits              what one command may ask; a command over a limit is REJECTED, so
 *                            that a producer other than the API cannot stall the decider
 * @param clientId            this instance's Kafka Streams client.id; empty: one Streams makes up
 */
public record DeciderConfig(
        String applicationId,
        ConnectionSettings connection,
        boolean autoRegisterSchemas,
        String commandsTopic,
        String eventsTopic,
        String resultsTopic,
        String dlqTopic,
        Duration commitInterval,
        StoreType storeType,
        Optional<Path> stateDir,
        int replicationFactor,
        long cacheMaxBytes,
        DcbLimits limits,
        Optional<String> clientId) {

    public static final String DEFAULT_APPLICATION_ID = "sluice-dcb-decider";
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(20);
    public static final long DEFAULT_CACHE_MAX_BYTES = 16L * 1024 * 1024;

    // Kafka's own rules for topic names and the characters it allows in a group/transactional id.
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Duration MAX_COMMIT_INTERVAL = Duration.ofMinutes(1);

    public DeciderConfig {
        requireMatch(applicationId, TOPIC, "applicationId");
        Objects.requireNonNull(connection, "connection").requireRegistry();
        List<String> topics = List.of(requireMatch(commandsTopic, TOPIC, "commandsTopic"),
                requireMatch(eventsTopic, TOPIC, "eventsTopic"), requireMatch(resultsTopic, TOPIC, "resultsTopic"),
                requireMatch(dlqTopic, TOPIC, "dlqTopic"));
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new IllegalArgumentException("the commands, events, results and DLQ topics must differ, got " + topics);
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (commitInterval.isNegative() || commitInterval.isZero() || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
            throw new IllegalArgumentException("commitInterval must be between 1 ms and " + MAX_COMMIT_INTERVAL + ", got "
                    + commitInterval);
        }
        if (commitInterval.toMillis() < 1) {
            throw new IllegalArgumentException("commitInterval must be at least 1 ms, got " + commitInterval);
        }
        Objects.requireNonNull(storeType, "storeType");
        Objects.requireNonNull(stateDir, "stateDir (use Optional.empty())");
        if (replicationFactor != -1 && replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be -1 (broker default) or at least 1, got "
                    + replicationFactor);
        }
        if (cacheMaxBytes < 0) throw new IllegalArgumentException("cacheMaxBytes must be at least 0, got " + cacheMaxBytes);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clientId, "clientId (use Optional.empty())");
    }

    /** The defaults (topics from {@link TopicNames}, 20 ms commits, RocksDB) for the given cluster. */
    public static DeciderConfig defaults(ConnectionSettings connection) {
        return new DeciderConfig(DEFAULT_APPLICATION_ID, connection, true, TopicNames.DCB_COMMANDS,
                TopicNames.DCB_EVENTS, TopicNames.DCB_RESULTS, TopicNames.DCB_DLQ, DEFAULT_COMMIT_INTERVAL,
                StoreType.ROCKSDB, Optional.empty(), -1, DEFAULT_CACHE_MAX_BYTES, DcbLimits.defaults(), Optional.empty());
    }

    public DeciderConfig withApplicationId(String id) {
        return new DeciderConfig(id, connection, autoRegisterSchemas, commandsTopic, eventsTopic,
                resultsTopic, dlqTopic, commitInterval, storeType, stateDir, replicationFactor, cacheMaxBytes, limits, clientId);
    }

    public DeciderConfig withTopics(String commands, String events, String results, String dlq) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commands, events,
                results, dlq, commitInterval, storeType, stateDir, replicationFactor, cacheMaxBytes, limits, clientId);
    }

    public DeciderConfig withCommitInterval(Duration interval) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, interval, storeType, stateDir, replicationFactor, cacheMaxBytes, limits, clientId);
    }

    public DeciderConfig withStoreType(StoreType type) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, commitInterval, type, stateDir, replicationFactor, cacheMaxBytes, limits, clientId);
    }

    public DeciderConfig withStateDir(Path dir) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, commitInterval, storeType, Optional.of(dir), replicationFactor,
                cacheMaxBytes, limits, clientId);
    }

    /**
     * The Kafka Streams client.id of this instance (its clients are {@code <id>-StreamThread-1-consumer}, ...),
     * so the instances tell apart in the broker's view of the group; without one, Streams makes one up.
     */
    public DeciderConfig withClientId(String id) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, commitInterval, storeType, stateDir, replicationFactor,
                cacheMaxBytes, limits, Optional.of(requireText(id, "clientId")));
    }

    public DeciderConfig withReplicationFactor(int factor) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, commitInterval, storeType, stateDir, factor, cacheMaxBytes, limits, clientId);
    }

    public DeciderConfig withLimits(DcbLimits other) {
        return new DeciderConfig(applicationId, connection, autoRegisterSchemas, commandsTopic,
                eventsTopic, resultsTopic, dlqTopic, commitInterval, storeType, stateDir, replicationFactor, cacheMaxBytes, other, clientId);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return value;
    }

    private static String requireMatch(String value, Pattern pattern, String name) {
        requireText(value, name);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " '" + value + "' may only contain letters, digits, '.', '_' and '-'"
                    + " (at most 249)");
        }
        return value;
    }
}
