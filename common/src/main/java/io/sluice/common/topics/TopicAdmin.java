package io.sluice.common.topics;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place sluice creates topics: makes sure topics exist (partitions, replication, configs as
 * asked; existing ones are left as they are, partition count included) and that every partition's
 * leader serves them, within a timeout. Safe to call from many processes at once: a topic another
 * process created meanwhile ({@link TopicExistsException}) is fine.
 *
 * <p>Why the wait: an idempotent producer sending right after a topic was created can lose its
 * first batch without reporting it in time (KAFKA-15591: NOT_LEADER on the first request, a later
 * one appended, every retry then OUT_OF_ORDER_SEQUENCE). ListOffsets is answered by the leader's
 * replica manager, so once it succeeds for every partition the topic is live.
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
    public static Map<String, TopicDescription> ensure(ConnectionSettings connection, Collection<String> topics,
                                                       int partitions, Duration timeout) {
        try (Admin admin = Admin.create(connection.admin())) {
            return ensure(admin, topics, partitions, timeout);
        }
    }

    /**
     * Creates the missing {@code topics} with {@code partitions} partitions each and the broker's
     * default replication and configs; see {@link #ensureTopics(Admin, Collection, Duration)}.
     */
    public static Map<String, TopicDescription> ensure(Admin admin, Collection<String> topics, int partitions,
                                                       Duration timeout) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        return ensureTopics(admin, new LinkedHashSet<>(topics).stream()
                .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList(), timeout);
    }

    /**
     * Creates those of {@code topics} that are missing, as specified (partitions, replication factor,
     * configs), and waits until every partition of every topic has a serving leader.
     *
     * @return the description of every topic, as it is now (an existing one may differ from its spec)
     * @throws KafkaException when the topics cannot be created or are not ready within {@code timeout}
     */
    public static Map<String, TopicDescription> ensureTopics(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        Map<String, NewTopic> specs = new LinkedHashMap<>();
        for (NewTopic t : topics) {
            if (specs.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("topic " + t.name() + " given twice");
        }
        if (specs.isEmpty()) return Map.of();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            create(admin, specs.values(), deadline, timeout);
            return awaitLeaders(admin, specs.keySet(), deadline, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for topics " + specs.keySet(), e);
        }
    }

    private static void create(Admin admin, Collection<NewTopic> topics, long deadline, Duration timeout)
            throws InterruptedException {
        var futures = admin.createTopics(topics).values();
        for (var entry : futures.entrySet()) {
            try {
                entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // Another process (or an earlier run) created it: fine, it is left as it is.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("creating topic " + entry.getKey() + " failed: " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("creating topic " + entry.getKey() + " took longer than " + timeout, e);
            }
        }
    }

    private static Map<String, TopicDescription> awaitLeaders(Admin admin, Set<String> names, long deadline,
                                                              Duration timeout) throws InterruptedException {
        List<TopicPartition> leaderless = List.of(); // the last seen, to say what was missing at the deadline
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(remaining(deadline), TimeUnit.NANOSECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                List<TopicPartition> missing = new ArrayList<>();
                descriptions.forEach((topic, d) -> d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    if (p.leader() == null || p.leader().isEmpty()) missing.add(tp);
                    request.put(tp, OffsetSpec.latest());
                }));
                leaderless = missing;
                if (leaderless.isEmpty()) {
                    admin.listOffsets(request).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                    return descriptions;
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
            } catch (TimeoutException e) {
                throw new KafkaException(leaderless.isEmpty() ? "topics " + names + " not ready after " + timeout
                        : "partitions " + leaderless + " have no leader after " + timeout, e);
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    private static long remaining(long deadline) throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new TimeoutException("deadline passed");
        return left;
    }
}
