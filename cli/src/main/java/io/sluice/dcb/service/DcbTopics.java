package io.sluice.dcb.service;

import io.sluice.dcb.api.DcbApiConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the DCB store's topics that are missing and checks those that exist: dcb.commands,
 * dcb.events and dcb.results with one partition each (one decider orders every append; the read
 * fence needs the log in one partition; results in one partition arrive in decision order), the
 * log kept forever, and waits until every partition's leader serves it: an idempotent producer
 * sending to a partition without a live leader can lose its first batch (KAFKA-15591).
 */
public final class DcbTopics {

    /** The topics exist and serve; {@code eventsTopicId} is the log's Kafka topic id. */
    public record Ready(String eventsTopicId) {
    }

    private DcbTopics() {
    }

    public static Ready ensure(DcbServiceConfig config) throws InterruptedException {
        DcbApiConfig api = config.api();
        try (Admin admin = Admin.create(api.connection().admin())) {
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : List.of(
                    new NewTopic(api.commandsTopic(), Optional.of(1), Optional.empty()),
                    // The event log: never deleted by time or size.
                    new NewTopic(api.eventsTopic(), Optional.of(1), Optional.empty()).configs(Map.of(
                            TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1")),
                    new NewTopic(api.resultsTopic(), Optional.of(1), Optional.empty()),
                    new NewTopic(config.dlqTopic(), Optional.of(1), Optional.empty()))) {
                Optional<TopicDescription> existing = describe(admin, topic.name(), deadline);
                if (existing.isEmpty()) {
                    missing.add(topic);
                } else if (!topic.name().equals(config.dlqTopic()) && existing.get().partitions().size() != 1) {
                    throw new IllegalStateException(topic.name() + " has " + existing.get().partitions().size()
                            + " partitions; the DCB store needs exactly one (see DcbTopics)");
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    // Another instance created them meanwhile: fine. Anything else: fail.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) throw failed(e);
                }
            }
            for (String topic : List.of(api.commandsTopic(), api.eventsTopic(), api.resultsTopic(), config.dlqTopic())) {
                awaitLeader(admin, topic, deadline);
            }
            return new Ready(describe(admin, api.eventsTopic(), deadline).orElseThrow().topicId().toString());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the DCB topics were not ready within " + config.startTimeout(), e);
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic, long deadline)
            throws InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return Optional.empty();
            throw failed(e);
        }
    }

    /** ListOffsets is answered by the partition's leader, so its success means the partition is live. */
    private static void awaitLeader(Admin admin, String topic, long deadline) throws InterruptedException, TimeoutException {
        while (true) {
            try {
                admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all()
                        .get(remaining(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) throw failed(e);
                Thread.sleep(50);
            }
        }
    }

    private static long remaining(long deadline) throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new TimeoutException("deadline passed");
        return left;
    }

    private static IllegalStateException failed(ExecutionException e) {
        return new IllegalStateException("preparing the DCB topics failed: " + e.getCause().getMessage(), e.getCause());
    }
}
