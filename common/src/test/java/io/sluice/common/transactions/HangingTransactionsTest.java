package io.sluice.common.transactions;

import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HangingTransactionsTest {

    private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);
    private static final HangingTransactions.Open OPEN = new HangingTransactions.Open(CHANGELOG, 0, (short) 95, 0, 500);

    @Test
    void aTransactionItsCoordinatorClosedHangs() {
        // what DcbContainerFaultsIT met: the coordinator aborted and moved on, the partition never got the marker
        assertThat(HangingTransactions.hanging(OPEN, Optional.of(coordinator(TransactionState.EMPTY, 97, Set.of())))).isTrue();
        assertThat(HangingTransactions.hanging(OPEN, Optional.of(coordinator(TransactionState.COMPLETE_ABORT, 96, Set.of(CHANGELOG))))).isTrue();
    }

    @Test
    void aTransactionWhoseProducerTheCoordinatorForgotHangs() {
        assertThat(HangingTransactions.hanging(OPEN, Optional.empty())).isTrue();
    }

    @Test
    void aTransactionOpenOnItsCoordinatorWithoutThePartitionHangs() {
        TopicPartition other = new TopicPartition("app-store-changelog", 1);
        assertThat(HangingTransactions.hanging(OPEN, Optional.of(coordinator(TransactionState.ONGOING, 95, Set.of(other))))).isTrue();
    }

    @Test
    void aTransactionItsCoordinatorHasOpenOnThePartitionIsLeftAlone() {
        for (TransactionState open : Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)) {
            assertThat(HangingTransactions.hanging(OPEN, Optional.of(coordinator(open, 95, Set.of(CHANGELOG))))).as(open.toString()).isFalse();
        }
    }

    @Test
    void onlyATransactionSeenOpenAtTheSameOffsetForTheWholeMinimumAgeIsOldEnough() {
        OpenSince since = new OpenSince(Duration.ofSeconds(15));
        long s = 1_000_000_000L;
        HangingTransactions.Open next = new HangingTransactions.Open(CHANGELOG, 0, (short) 95, 0, 510); // the next transaction
        assertThat(since.look(List.of(OPEN), 0)).isEmpty();
        assertThat(since.look(List.of(OPEN), 10 * s)).isEmpty();
        assertThat(since.look(List.of(OPEN), 15 * s)).containsExactly(OPEN);
        // a live producer: each look finds another transaction, none of them old
        assertThat(since.look(List.of(next), 20 * s)).isEmpty();
        assertThat(since.look(List.of(next), 34 * s)).isEmpty();
        // one look without it forgets it: seen again, its age starts over
        assertThat(since.look(List.of(), 35 * s)).isEmpty();
        assertThat(since.look(List.of(next), 36 * s)).isEmpty();
        assertThat(since.look(List.of(next), 51 * s)).containsExactly(next);
    }

    @Test
    void theAbortNamesThePartitionsProducerAndEpochs() {
        var spec = OPEN.abort();
        assertThat(spec.topicPartition()).isEqualTo(CHANGELOG);
        assertThat(spec.producerId()).isZero();
        assertThat(spec.producerEpoch()).isEqualTo((short) 95);
        assertThat(spec.coordinatorEpoch()).isZero();
    }

    private static TransactionDescription coordinator(TransactionState state, int epoch, Set<TopicPartition> partitions) {
        return new TransactionDescription(1, state, 0, epoch, 5_000, OptionalLong.empty(), partitions);
    }
}
