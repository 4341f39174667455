package io.sluice.dcb.service;

import io.sluice.common.http.HttpAuth;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.decider.DeciderConfig;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.dcb.EventLogGuard.OnOtherLog;
import io.sluice.sinks.dcb.EventsSink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a whole DCB store ({@link DcbService}): the API's, plus what the decider and the
 * events sink need beyond them. The decider's and the sink's own configs are derived from these, so
 * the three parts always agree on topics, cluster and database; both are built (and so validated)
 * here.
 *
 * @param api                the HTTP API; its topics, cluster, registry and database are everyone's
 * @param deciderApplicationId the decider's Kafka Streams application id
 * @param commitInterval     the decider's commit interval: an append is answered only after its
 *                           transaction commits, so this is most of an append's latency
 * @param stateDir           the decider's state directory; empty: Kafka Streams' default
 * @param dlqTopic           dead letters of the decider and the sink
 * @param sinkGroupId        the events sink's consumer group
 * @param sinkFlushInterval  how long the sink collects events before a PostgreSQL transaction;
 *                           reads wait for it, so keep it short
 * @param onOtherLog         what to do when PostgreSQL holds the events of another dcb.events log
 * @param startTimeout       how long to wait for the topics and for the decider to run
 * @param instanceId         names this instance in the client ids of its decider
 *                           ({@code sluice-dcb-decider-ID}) and events sink ({@code sluice-events-sink-ID});
 *                           empty: the decider's is one Streams makes up, the sink's its stage name
 */
public record DcbServiceConfig(DcbApiConfig api, String deciderApplicationId, Duration commitInterval,
                               Optional<Path> stateDir, String dlqTopic, String sinkGroupId, Duration sinkFlushInterval,
                               OnOtherLog onOtherLog, Duration startTimeout, Optional<String> instanceId) {

    /** Short enough for about 10 ms appends; the decider's throughput ceiling rises as it shrinks. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(5);

    public DcbServiceConfig {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(stateDir, "stateDir (use Optional.empty())");
        Objects.requireNonNull(onOtherLog, "onOtherLog");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(instanceId, "instanceId (use Optional.empty())");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
        if (dlqTopic == null || dlqTopic.equals(api.commandsTopic()) || dlqTopic.equals(api.eventsTopic())
                || dlqTopic.equals(api.resultsTopic())) {
            throw new IllegalArgumentException("dlqTopic must be set and differ from the other topics, got " + dlqTopic);
        }
        // Validates the rest: ids, intervals, topic names.
        deciderConfig(api, deciderApplicationId, commitInterval, stateDir, dlqTopic, instanceId);
        sinkConfig(api, sinkGroupId, sinkFlushInterval, dlqTopic, instanceId);
    }

    /**
     * The standard names and settings for the given services: topics dcb.*, 5 ms decider commits,
     * 5 ms sink flushes, refuse a database holding another log's events.
     */
    public static DcbServiceConfig defaults(DcbApiConfig api) {
        return new DcbServiceConfig(api, DeciderConfig.DEFAULT_APPLICATION_ID, DEFAULT_COMMIT_INTERVAL, Optional.empty(),
                TopicNames.DCB_DLQ, EventsSink.DEFAULT_GROUP_ID, EventsSink.DEFAULT_FLUSH_INTERVAL, OnOtherLog.FAIL,
                Duration.ofSeconds(120), Optional.empty());
    }

    /** Every topic, the application id and the sink group suffixed: a store of its own on a shared cluster. */
    public DcbServiceConfig withSuffix(String suffix) {
        String s = "-" + suffix;
        return new DcbServiceConfig(api.withTopics(api.commandsTopic() + s, api.eventsTopic() + s, api.resultsTopic() + s),
                deciderApplicationId + s, commitInterval, stateDir, dlqTopic + s, sinkGroupId + s, sinkFlushInterval,
                onOtherLog, startTimeout, instanceId);
    }

    public DcbServiceConfig withApi(DcbApiConfig other) {
        return new DcbServiceConfig(other, deciderApplicationId, commitInterval, stateDir, dlqTopic, sinkGroupId,
                sinkFlushInterval, onOtherLog, startTimeout, instanceId);
    }

    /** The API's requests need {@code auth}'s bearer token (the decider and the sink have no HTTP side). */
    public DcbServiceConfig withAuth(HttpAuth auth) {
        return withApi(api.withAuth(auth));
    }

    /** Names this instance in its decider's and events sink's Kafka client ids (see {@link #instanceId}). */
    public DcbServiceConfig withInstanceId(String id) {
        return new DcbServiceConfig(api, deciderApplicationId, commitInterval, stateDir, dlqTopic, sinkGroupId,
                sinkFlushInterval, onOtherLog, startTimeout, Optional.of(id));
    }

    public DcbServiceConfig withStateDir(Path dir) {
        return new DcbServiceConfig(api, deciderApplicationId, commitInterval, Optional.of(dir), dlqTopic, sinkGroupId,
                sinkFlushInterval, onOtherLog, startTimeout, instanceId);
    }

    public DcbServiceConfig withCommitInterval(Duration interval) {
        return new DcbServiceConfig(api, deciderApplicationId, interval, stateDir, dlqTopic, sinkGroupId, sinkFlushInterval,
                onOtherLog, startTimeout, instanceId);
    }

    public DcbServiceConfig withOnOtherLog(OnOtherLog action) {
        return new DcbServiceConfig(api, deciderApplicationId, commitInterval, stateDir, dlqTopic, sinkGroupId,
                sinkFlushInterval, action, startTimeout, instanceId);
    }

    /** The decider's config: the API's cluster, registry and topics. */
    public DeciderConfig deciderConfig() {
        return deciderConfig(api, deciderApplicationId, commitInterval, stateDir, dlqTopic, instanceId);
    }

    /** The events sink's config: the API's cluster, database, schema and events topic. */
    public SinkConfig sinkConfig() {
        return sinkConfig(api, sinkGroupId, sinkFlushInterval, dlqTopic, instanceId);
    }

    private static DeciderConfig deciderConfig(DcbApiConfig api, String applicationId, Duration commitInterval,
                                               Optional<Path> stateDir, String dlqTopic, Optional<String> instanceId) {
        DeciderConfig config = DeciderConfig.defaults(api.connection())
                .withApplicationId(applicationId)
                .withTopics(api.commandsTopic(), api.eventsTopic(), api.resultsTopic(), dlqTopic)
                .withCommitInterval(commitInterval)
                // the API's limits: what the API lets through, the decider must decide
                .withLimits(api.limits().request());
        if (instanceId.isPresent()) config = config.withClientId(DeciderConfig.DEFAULT_APPLICATION_ID + "-" + instanceId.get());
        return stateDir.map(config::withStateDir).orElse(config);
    }

    private static SinkConfig sinkConfig(DcbApiConfig api, String groupId, Duration flushInterval, String dlqTopic,
                                         Optional<String> instanceId) {
        SinkConfig.Builder b = EventsSink.configure(groupId, api.connection(), api.jdbcUrl(), api.eventsTopic(), dlqTopic)
                .credentials(api.dbUser(), api.dbPassword())
                .schema(api.schema())
                .flushInterval(flushInterval);
        instanceId.ifPresent(id -> b.consumerOverrides(Map.of("client.id", "sluice-" + EventsSink.STAGE + "-" + id))
                .producerOverrides(Map.of("client.id", "sluice-" + EventsSink.STAGE + "-" + id + "-dlq")));
        return b.build();
    }
}
