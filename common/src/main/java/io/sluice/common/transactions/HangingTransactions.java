package io.sluice.common.transactions;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hanging transactions (KIP-664): a partition holding a transaction open that its coordinator no
 * longer tracks as open. Nothing will ever end it, so every read_committed reader of the partition
 * stops at its start for good: a Streams application restoring its stores never finishes, a sink
 * never sees another record. A broker SIGKILLed mid-transaction and restarted can leave one
 * (DcbContainerFaultsIT found it: the coordinator had aborted and moved to EMPTY, the partitions
 * never got the abort marker). This finds them as {@code kafka-transactions.sh find-hanging} does
 * and aborts them as its {@code abort} does: writing the abort marker to the partition.
 *
 * <p>A transaction counts as hanging only when both hold: its producer wrote nothing for longer than
 * {@code minAge} (set well above the producer's transaction timeout, after which the coordinator
 * aborts an open transaction itself), and its coordinator does not list it as open on that partition.
 */
public final class HangingTransactions {

    private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** A transaction a partition holds open: its producer, and when that producer last wrote (ms). */
    public record Open(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch,
                       long lastTimestamp) {

        /** The request that writes this transaction's abort marker. */
        public AbortTransactionSpec abort() {
            return new AbortTransactionSpec(partition, producerId, producerEpoch, coordinatorEpoch);
        }
    }

    private HangingTransactions() {
    }

    /**
     * Whether {@code open} hangs: old enough, and its coordinator's transaction ({@code coordinator};
     * empty when the coordinator knows no transactional id for the producer) is not open on the partition.
     */
    static boolean hanging(Open open, Optional<TransactionDescription> coordinator, long nowMs, Duration minAge) {
        if (nowMs - open.lastTimestamp() <= minAge.toMillis()) return false;
        if (coordinator.isEmpty()) return true;
        TransactionDescription txn = coordinator.get();
        return !OPEN.contains(txn.state()) || !txn.topicPartitions().contains(open.partition());
    }

    /** The hanging transactions on {@code partitions}, each request bounded by {@code timeout}. */
    public static List<Open> find(Admin admin, Collection<TopicPartition> partitions, Duration minAge, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.currentTimeMillis();
        List<Open> candidates = new ArrayList<>();
        Map<TopicPartition, PartitionProducerState> states = admin.describeProducers(partitions).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        states.forEach((partition, state) -> {
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isEmpty() || now - p.lastTimestamp() <= minAge.toMillis()) continue;
                candidates.add(new Open(partition, p.producerId(), (short) p.producerEpoch(), p.coordinatorEpoch().orElse(-1),
                        p.lastTimestamp()));
            }
        });
        if (candidates.isEmpty()) return List.of();

        Set<Long> producerIds = new HashSet<>();
        candidates.forEach(c -> producerIds.add(c.producerId()));
        Map<Long, String> transactionalIds = new HashMap<>();
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            transactionalIds.put(listing.producerId(), listing.transactionalId());
        }
        Map<String, TransactionDescription> descriptions = transactionalIds.isEmpty() ? Map.of()
                : admin.describeTransactions(transactionalIds.values()).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<Open> hanging = new ArrayList<>();
        for (Open c : candidates) {
            Optional<TransactionDescription> coordinator = Optional.ofNullable(transactionalIds.get(c.producerId()))
                    .map(descriptions::get);
            if (hanging(c, coordinator, now, minAge)) hanging.add(c);
        }
        return hanging;
    }
}
