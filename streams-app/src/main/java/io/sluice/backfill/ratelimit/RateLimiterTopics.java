package io.sluice.backfill.ratelimit;

import io.sluice.common.topics.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the rate limiter's topics before its first start: the inputs and outputs with one partition
 * count (the inputs must be co-partitioned), and the changelogs of its stores with the inputs' partition
 * count, as Kafka Streams would create them: compacted, and for the window store of DIDs also deleted
 * after its retention plus Streams' default additional day. Kafka Streams creates missing changelogs
 * itself during the first rebalance and its producer sends to them right away; creating them here and
 * waiting for their leaders avoids losing that first batch (KAFKA-15591, see {@link TopicAdmin}).
 * Existing topics are left as they are.
 */
public final class RateLimiterTopics {

    private RateLimiterTopics() {
    }

    /** Kafka Streams' default {@code windowstore.changelog.additional.retention.ms}. */
    private static final Duration WINDOW_CHANGELOG_EXTRA = Duration.ofDays(1);

    /** The changelog topics of the limiter's stores for {@code applicationId}. */
    public static List<String> changelogs(String applicationId) {
        return List.of(changelog(applicationId, RateLimiterTopology.QUEUE_STORE),
                changelog(applicationId, RateLimiterTopology.HOSTS_STORE),
                changelog(applicationId, RateLimiterTopology.DIDS_STORE));
    }

    /**
     * Ensures every topic of {@code config}, creating missing data topics with {@code partitions}
     * partitions and missing changelogs with the partition count of the existing resolved topic.
     */
    public static void ensure(RateLimiterConfig config, int partitions, Duration timeout) {
        RateLimiterConfig.TopicSet t = config.topics();
        List<String> data = new ArrayList<>(List.of(t.resolved(), t.signals(), t.fetch(), t.dlq()));
        t.retry().ifPresent(data::add);
        try (Admin admin = Admin.create(config.connection().admin())) {
            int inputPartitions = TopicAdmin.ensure(admin, data, partitions, timeout).get(t.resolved()).partitions().size();
            String dids = changelog(config.applicationId(), RateLimiterTopology.DIDS_STORE);
            Map<String, String> window = Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(RateLimiterTopology.DIDS_RETENTION.plus(WINDOW_CHANGELOG_EXTRA).toMillis()));
            TopicAdmin.ensureTopics(admin, changelogs(config.applicationId()).stream()
                    .map(name -> new NewTopic(name, Optional.of(inputPartitions), Optional.empty())
                            .configs(name.equals(dids) ? window
                                    : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
                    .toList(), timeout);
        }
    }

    private static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
