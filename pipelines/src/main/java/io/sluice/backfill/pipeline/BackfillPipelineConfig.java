package io.sluice.backfill.pipeline;

import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.TopicNames;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link BackfillPipeline} needs besides its endpoints, validated here once. Immutable.
 *
 * @param plcUrl            the PLC directory the resolver asks ({@code <simulator>/plc} in tests)
 * @param allowLoopback     let the resolver and the fetcher reach loopback addresses (the simulator);
 *                          never in production
 * @param defaultHostPolicy the rate limit of every PDS host
 * @param idPrefix          prefix of every consumer group and the rate limiter's application id;
 *                          blank for the stages' defaults
 * @param topicPrefix       prefix of every topic name ({@code ""} for the standard {@code backfill.*} names)
 * @param dbSchema          PostgreSQL schema of the records sink's tables
 * @param stateDir          the rate limiter's state and the fetcher's spill files go below it
 * @param partitions        partitions of every backfill topic created (the limiter's inputs must be
 *                          co-partitioned, so all get the same count)
 * @param limiterTiming     the rate limiter's timing (task deadlines, margins); its defaults normally
 * @param refetch           the fetcher downloads every repository, also one stored at the PDS's latest revision
 */
public record BackfillPipelineConfig(URI plcUrl, boolean allowLoopback, RateLimitPolicy defaultHostPolicy, String idPrefix,
                                     String topicPrefix, String dbSchema, Path stateDir, int partitions,
                                     RateLimiterConfig.Timing limiterTiming, boolean refetch) {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public BackfillPipelineConfig {
        Objects.requireNonNull(plcUrl, "plcUrl");
        Objects.requireNonNull(defaultHostPolicy, "defaultHostPolicy");
        idPrefix = idPrefix == null ? "" : idPrefix;
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(dbSchema, "dbSchema");
        if (!SCHEMA.matcher(dbSchema).matches()) throw new IllegalArgumentException("not a plain schema name: " + dbSchema);
        Objects.requireNonNull(stateDir, "stateDir");
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        Objects.requireNonNull(limiterTiming, "limiterTiming");
    }

    /** Without refetch. */
    public BackfillPipelineConfig(URI plcUrl, boolean allowLoopback, RateLimitPolicy defaultHostPolicy, String idPrefix,
                                  String topicPrefix, String dbSchema, Path stateDir, int partitions,
                                  RateLimiterConfig.Timing limiterTiming) {
        this(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir, partitions, limiterTiming,
                false);
    }

    /** With the rate limiter's default timing. */
    public BackfillPipelineConfig(URI plcUrl, boolean allowLoopback, RateLimitPolicy defaultHostPolicy, String idPrefix,
                                  String topicPrefix, String dbSchema, Path stateDir, int partitions) {
        this(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir, partitions,
                RateLimiterConfig.Timing.defaults());
    }

    /** Standard topics, default ids, public schema, {@value TopicAdmin#DEFAULT_PARTITIONS} partitions. */
    public static BackfillPipelineConfig defaults(URI plcUrl, RateLimitPolicy defaultHostPolicy, Path stateDir) {
        return new BackfillPipelineConfig(plcUrl, false, defaultHostPolicy, "", "", "public", stateDir,
                TopicAdmin.DEFAULT_PARTITIONS);
    }

    public BackfillPipelineConfig withAllowLoopback(boolean allow) {
        return new BackfillPipelineConfig(plcUrl, allow, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir, partitions, limiterTiming, refetch);
    }

    public BackfillPipelineConfig withPrefixes(String ids, String topics) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, ids, topics, dbSchema, stateDir, partitions, limiterTiming, refetch);
    }

    public BackfillPipelineConfig withDbSchema(String schema) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, schema, stateDir, partitions, limiterTiming, refetch);
    }

    public BackfillPipelineConfig withPartitions(int n) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir, n, limiterTiming, refetch);
    }

    public BackfillPipelineConfig withStateDir(Path dir) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, dir, partitions,
                limiterTiming);
    }

    public BackfillPipelineConfig withLimiterTiming(RateLimiterConfig.Timing timing) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir,
                partitions, timing, refetch);
    }

    public BackfillPipelineConfig withRefetch(boolean refetch) {
        return new BackfillPipelineConfig(plcUrl, allowLoopback, defaultHostPolicy, idPrefix, topicPrefix, dbSchema, stateDir,
                partitions, limiterTiming, refetch);
    }

    /** {@code id} with the id prefix. */
    public String id(String id) {
        return idPrefix.isEmpty() ? id : idPrefix + "-" + id;
    }

    public String dids() { return topicPrefix + TopicNames.BACKFILL_DIDS; }
    public String resolved() { return topicPrefix + TopicNames.BACKFILL_RESOLVED; }
    public String fetch() { return topicPrefix + TopicNames.BACKFILL_FETCH; }
    public String records() { return topicPrefix + TopicNames.BACKFILL_RECORDS; }
    public String status() { return topicPrefix + TopicNames.BACKFILL_STATUS; }
    public String signals() { return topicPrefix + TopicNames.BACKFILL_RATELIMIT; }
    public String retry() { return topicPrefix + TopicNames.BACKFILL_RETRY; }
    public String dlq() { return topicPrefix + TopicNames.BACKFILL_DLQ; }

    /** Every topic the pipeline reads or writes. */
    public List<String> allTopics() {
        return List.of(dids(), resolved(), fetch(), records(), status(), signals(), retry(), dlq());
    }
}
