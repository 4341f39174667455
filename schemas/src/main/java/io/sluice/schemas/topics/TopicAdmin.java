package io.sluice.schemas.topics;

import io.sluice.common.client.ConnectionSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Makes sure topics exist and every partition's leader serves them before anything produces.
 *
 * <p>Why the wait: an idempotent producer sending right after a topic was created can lose its
 * first batch without reporting it in time (KAFKA-15591: NOT_LEADER on the first request, a later
 * one appended, every retry then OUT_OF_ORDER_SEQUENCE). ListOffsets is answered by the leader's
 * replica manager, so once it succeeds for every partition the topic is live.
 *
 * <p>Existing topics are left as they are (partition count included): only missing ones are
 * created, with the broker's default replication factor. Safe to call from many processes at once.
 */
public final class TopicAdmin {

    /**
     * Partitions of a topic sluice creates. One value for all, because the rate limiter joins
     * {@code backfill.resolved} and {@code backfill.ratelimit} by key and needs them co-partitioned.
     */
    public static final int DEFAULT_PARTITIONS = 6;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final long RETRY_PAUSE_MS = 50;

    private TopicAdmin() {
    }

    /** Opens an admin client from {@code connection} for the call; see {@link #ensure(Admin, Collection, int, Duration)}. */
    public static void ensure(ConnectionSettings connection, Collection<String> topics, int partitions, Duration timeout) {
        try (Admin admin = Admin.create(connection.admin())) {
            ensure(admin, topics, partitions, timeout);
        }
    }

    /**
     * Creates the missing {@code topics} with {@code partitions} partitions each and waits until
     * every partition of every topic has a serving leader.
     *
     * @throws KafkaException when the topics cannot be created or are not ready within {@code timeout}
     */
    public static void ensure(Admin admin, Collection<String> topics, int partitions, Duration timeout) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        Set<String> names = new LinkedHashSet<>(topics);
        if (names.isEmpty()) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            create(admin, names, partitions);
            awaitLeaders(admin, names, deadline, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for topics " + names, e);
        }
    }

    private static void create(Admin admin, Set<String> names, int partitions) throws InterruptedException {
        List<NewTopic> requests = names.stream()
                .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList();
        var futures = admin.createTopics(requests).values();
        for (var entry : futures.entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                // Another process (or an earlier run) created it: fine, it is left as it is.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("creating topic " + entry.getKey() + " failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> names, long deadline, Duration timeout)
            throws InterruptedException {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                List<TopicPartition> leaderless = new ArrayList<>();
                descriptions.forEach((topic, d) -> d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    if (p.leader() == null || p.leader().isEmpty()) leaderless.add(tp);
                    request.put(tp, OffsetSpec.latest());
                }));
                if (leaderless.isEmpty()) {
                    admin.listOffsets(request).all().get();
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("partitions " + leaderless + " have no leader after " + timeout);
                }
            } catch (ExecutionException e) {
                // Metadata of a just-created topic reaches the brokers a moment later; Admin does not retry that.
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new KafkaException("waiting for topics " + names + " failed: " + e.getCause(), e.getCause());
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("topics " + names + " not ready after " + timeout + ": " + e.getCause(),
                            e.getCause());
                }
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }
}
