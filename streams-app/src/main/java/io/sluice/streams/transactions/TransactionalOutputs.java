package io.sluice.streams.transactions;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.transactions.HangingTransactionGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The partitions an exactly-once Streams application writes in its transactions: its sink topics,
 * its internal topics (changelogs, repartition topics, named {@code <application.id>-...}) and its
 * group's {@code __consumer_offsets} partition, where its input offsets commit, for
 * a {@link HangingTransactionGuard}: a hanging transaction on a changelog stops the application's
 * restore for good, one on a sink topic stops its read_committed readers, one on the offsets keeps its
 * committed offsets pending, so that a restarted thread never starts.
 */
public final class TransactionalOutputs {

    /** Checked this often; a transaction must have been silent for this many transaction timeouts to hang. */
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final int TIMEOUTS = 3;
    private static final long STREAMS_DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

    private TransactionalOutputs() {
    }

    /**
     * Starts a guard over what {@code topology} writes, run with {@code props} (its application id,
     * and its producers' transaction timeout: a transaction hangs once silent for three of them).
     */
    public static HangingTransactionGuard guard(String name, ConnectionSettings connection, Topology topology, Properties props) {
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Set<String> sinks = sinkTopics(topology);
        return HangingTransactionGuard.start(name, connection.admin(), admin -> partitions(admin, sinks, applicationId),
                Duration.ofMillis(TIMEOUTS * transactionTimeoutMs(props)), PERIOD);
    }

    /** The producers' transaction.timeout.ms in {@code props}; Streams' own 10 s under exactly-once when unset. */
    static long transactionTimeoutMs(Properties props) {
        Object value = props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        if (value == null) value = props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return value == null ? STREAMS_DEFAULT_TRANSACTION_TIMEOUT_MS : Long.parseLong(value.toString());
    }

    /** The topics the topology's sink nodes name (a sink that picks its topic per record names none). */
    static Set<String> sinkTopics(Topology topology) {
        Set<String> topics = new HashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) topics.add(sink.topic());
            }
        }
        return topics;
    }

    static Collection<TopicPartition> partitions(Admin admin, Set<String> sinks, String applicationId)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topics = new HashSet<>();
        for (String topic : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
            if (sinks.contains(topic) || topic.startsWith(applicationId + "-")) topics.add(topic);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
        }
        offsetsPartition(admin, applicationId).ifPresent(partitions::add);
        return partitions;
    }

    /** The group's {@code __consumer_offsets} partition; empty before anything was committed, or where it may not be described. */
    private static Optional<TopicPartition> offsetsPartition(Admin admin, String groupId)
            throws InterruptedException, TimeoutException {
        String offsets = Topic.GROUP_METADATA_TOPIC_NAME;
        try {
            TopicDescription d = admin.describeTopics(Set.of(offsets)).allTopicNames().get(10, TimeUnit.SECONDS).get(offsets);
            return Optional.of(new TopicPartition(offsets, groupPartition(groupId, d.partitions().size())));
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code __consumer_offsets} partition of group {@code groupId}, as the group coordinator places it.
     * The offsets a transaction commits are written there: left hanging, they stay pending, and the
     * application's next start waits for its committed offsets for ever (DcbContainerFaultsIT saw it).
     */
    static int groupPartition(String groupId, int offsetsPartitions) {
        return Utils.abs(groupId.hashCode()) % offsetsPartitions;
    }
}
