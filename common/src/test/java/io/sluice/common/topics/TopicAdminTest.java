package io.sluice.common.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicAdminTest {

    private static final Node BROKER = new Node(1, "localhost", 9092);

    /** An in-memory cluster behind the few Admin calls TopicAdmin makes. */
    private static final class FakeCluster {
        final Map<String, NewTopic> topics = new ConcurrentHashMap<>();
        final List<NewTopic> createRequests = new ArrayList<>();
        RuntimeException createFailure;
        boolean leaders = true;

        Admin admin() {
            return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createTopics" -> create((Collection<?>) args[0]);
                        case "describeTopics" -> describe((Collection<?>) args[0]);
                        case "listOffsets" -> new ListOffsetsResult(Map.of());
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private CreateTopicsResult create(Collection<?> requests) {
            Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> futures = new HashMap<>();
            for (Object o : requests) {
                NewTopic t = (NewTopic) o;
                createRequests.add(t);
                KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> f = new KafkaFutureImpl<>();
                if (createFailure != null) f.completeExceptionally(createFailure);
                else if (topics.putIfAbsent(t.name(), t) != null) f.completeExceptionally(new TopicExistsException(t.name()));
                else f.complete(null);
                futures.put(t.name(), f);
            }
            return new CreateTopicsResult(futures) { };
        }

        private DescribeTopicsResult describe(Collection<?> names) {
            Map<String, KafkaFuture<TopicDescription>> futures = new HashMap<>();
            for (Object o : names) {
                NewTopic t = topics.get((String) o);
                List<TopicPartitionInfo> partitions = new ArrayList<>();
                for (int p = 0; p < t.numPartitions(); p++) {
                    partitions.add(new TopicPartitionInfo(p, leaders ? BROKER : null, List.of(BROKER), List.of(BROKER)));
                }
                futures.put(t.name(), KafkaFuture.completedFuture(new TopicDescription(t.name(), false, partitions)));
            }
            return new DescribeTopicsResult(null, futures) { };
        }
    }

    private final FakeCluster cluster = new FakeCluster();

    @Test
    void createsMissingTopicsAsSpecifiedAndLeavesExistingOnesAsTheyAre() {
        cluster.topics.put("old", new NewTopic("old", 3, (short) 1));
        NewTopic compacted = new NewTopic("new", Optional.of(2), Optional.of((short) 3))
                .configs(Map.of("cleanup.policy", "compact"));

        Map<String, TopicDescription> d = TopicAdmin.ensureTopics(cluster.admin(),
                List.of(new NewTopic("old", 6, (short) 1), compacted), Duration.ofSeconds(5));

        assertThat(d.get("old").partitions()).hasSize(3);
        assertThat(d.get("new").partitions()).hasSize(2);
        assertThat(cluster.topics.get("new").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(cluster.topics.get("new").replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void isIdempotent() {
        TopicAdmin.ensure(cluster.admin(), List.of("a", "b", "a"), 4, Duration.ofSeconds(5));
        Map<String, TopicDescription> again = TopicAdmin.ensure(cluster.admin(), List.of("a", "b"), 4, Duration.ofSeconds(5));

        assertThat(again.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(cluster.topics).hasSize(2);
        assertThat(cluster.createRequests).extracting(NewTopic::name).containsExactly("a", "b", "a", "b");
    }

    @Test
    void aFailureOtherThanTopicExistsNamesTheTopic() {
        cluster.createFailure = new PolicyViolationException("replication factor too high");
        assertThatThrownBy(() -> TopicAdmin.ensure(cluster.admin(), List.of("x"), 1, Duration.ofSeconds(5)))
                .isInstanceOf(KafkaException.class).hasMessageContaining("creating topic x failed")
                .hasMessageContaining("replication factor too high");
    }

    @Test
    void givesUpWhenLeadersDoNotAppearInTime() {
        cluster.leaders = false;
        long start = System.nanoTime();
        assertThatThrownBy(() -> TopicAdmin.ensure(cluster.admin(), List.of("x"), 2, Duration.ofMillis(300)))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining(new TopicPartition("x", 0).toString()).hasMessageContaining("no leader");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusesBadRequests() {
        assertThatThrownBy(() -> TopicAdmin.ensure(cluster.admin(), List.of("x"), 0, Duration.ofSeconds(1)))
                .hasMessageContaining("partitions must be >= 1");
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(cluster.admin(),
                List.of(new NewTopic("x", 1, (short) 1), new NewTopic("x", 2, (short) 1)), Duration.ofSeconds(1)))
                .hasMessageContaining("given twice");
        assertThat(TopicAdmin.ensure(cluster.admin(), List.of(), 1, Duration.ofSeconds(1))).isEmpty();
    }
}
