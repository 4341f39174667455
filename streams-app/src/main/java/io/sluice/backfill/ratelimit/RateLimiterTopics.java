package io.sluice.backfill.ratelimit;

import io.sluice.schemas.topics.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the rate limiter's topics before its first start: the inputs and outputs with one partition
 * count (the inputs must be co-partitioned), and the changelogs of its two stores, compacted, with the
 * inputs' partition count, as Kafka Streams would create them. Kafka Streams creates missing changelogs
 * itself during the first rebalance and its producer sends to them right away; creating them here and
 * waiting for their leaders avoids losing that first batch (KAFKA-15591, see {@link TopicAdmin}).
 * Existing topics are left as they are.
 */
public final class RateLimiterTopics {

    private RateLimiterTopics() {
    }

    /** The changelog topics of the limiter's stores for {@code applicationId}. */
    public static List<String> changelogs(String applicationId) {
        return List.of(changelog(applicationId, RateLimiterTopology.QUEUE_STORE),
                changelog(applicationId, RateLimiterTopology.HOSTS_STORE));
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
            TopicAdmin.ensure(admin, data, partitions, timeout);
            int inputPartitions = admin.describeTopics(List.of(t.resolved())).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(t.resolved()).partitions().size();
            List<String> changelogs = changelogs(config.applicationId());
            for (String name : changelogs) {
                NewTopic topic = new NewTopic(name, Optional.of(inputPartitions), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("creating " + name + " failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            TopicAdmin.ensure(admin, changelogs, inputPartitions, timeout); // waits for their leaders
        } catch (ExecutionException e) {
            throw new KafkaException("describing " + t.resolved() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("the rate limiter's topics were not ready within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while preparing the rate limiter's topics", e);
        }
    }

    private static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
