package io.sluice.common.transactions;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;

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
 * never got the abort marker). These are the two looks {@code kafka-transactions.sh find-hanging}
 * takes, the open transactions of partitions and their coordinators' view; the abort is what its
 * {@code abort} writes. How long a transaction must have been open is the caller's to watch
 * ({@link HangingTransactionGuard}): a producer's last record timestamp is no clock, since Kafka
 * Streams stamps its output with its input's time.
 */
public final class HangingTransactions {

    private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** A transaction a partition holds open: its producer and the offset it started at. */
    public record Open(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, long startOffset) {

        /** The request that writes this transaction's abort marker. */
        public AbortTransactionSpec abort() {
            return new AbortTransactionSpec(partition, producerId, producerEpoch, coordinatorEpoch);
        }
    }

    private HangingTransactions() {
    }

    /**
     * Whether {@code open} hangs by its coordinator's account ({@code coordinator}; empty when the
     * coordinator knows no transactional id for the producer): not open, or open without the partition.
     */
    static boolean hanging(Open open, Optional<TransactionDescription> coordinator) {
        if (coordinator.isEmpty()) return true;
        TransactionDescription txn = coordinator.get();
        return !OPEN.contains(txn.state()) || !txn.topicPartitions().contains(open.partition());
    }

    /**
     * The transactions open on {@code partitions} now. A partition the client may not describe (as
     * {@code __consumer_offsets} on a secured cluster) is left out; any other failure fails the look.
     */
    public static List<Open> open(Admin admin, Collection<TopicPartition> partitions, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Open> open = new ArrayList<>();
        DescribeProducersResult result = admin.describeProducers(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TopicPartition partition : partitions) {
            PartitionProducerState state;
            try {
                state = result.partitionResult(partition).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException) continue;
                throw e;
            }
            for (ProducerState p : state.activeProducers()) {
                p.currentTransactionStartOffset().ifPresent(start -> open.add(new Open(partition, p.producerId(),
                        (short) p.producerEpoch(), p.coordinatorEpoch().orElse(-1), start)));
            }
        }
        return open;
    }

    /** Of {@code candidates}, those whose coordinator does not hold them open. */
    public static List<Open> hanging(Admin admin, List<Open> candidates, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
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
            if (hanging(c, coordinator)) hanging.add(c);
        }
        return hanging;
    }
}
