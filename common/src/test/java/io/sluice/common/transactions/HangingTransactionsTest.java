package io.sluice.common.transactions;

import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HangingTransactionsTest {

    private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);
    private static final Duration MIN_AGE = Duration.ofSeconds(15);
    private static final long NOW = 1_000_000;
    private static final HangingTransactions.Open OLD = new HangingTransactions.Open(CHANGELOG, 0, (short) 95, 0, NOW - 20_000);
    private static final HangingTransactions.Open RECENT = new HangingTransactions.Open(CHANGELOG, 0, (short) 95, 0, NOW - 10_000);

    @Test
    void anOldTransactionItsCoordinatorClosedHangs() {
        // what DcbContainerFaultsIT met: the coordinator aborted and moved on, the partition never got the marker
        assertThat(HangingTransactions.hanging(OLD, Optional.of(coordinator(TransactionState.EMPTY, 97, Set.of())), NOW, MIN_AGE)).isTrue();
        assertThat(HangingTransactions.hanging(OLD, Optional.of(coordinator(TransactionState.COMPLETE_ABORT, 96, Set.of(CHANGELOG))), NOW, MIN_AGE)).isTrue();
    }

    @Test
    void anOldTransactionWhoseProducerTheCoordinatorForgotHangs() {
        assertThat(HangingTransactions.hanging(OLD, Optional.empty(), NOW, MIN_AGE)).isTrue();
    }

    @Test
    void anOldTransactionOpenOnItsCoordinatorWithoutThePartitionHangs() {
        TopicPartition other = new TopicPartition("app-store-changelog", 1);
        assertThat(HangingTransactions.hanging(OLD, Optional.of(coordinator(TransactionState.ONGOING, 95, Set.of(other))), NOW, MIN_AGE)).isTrue();
    }

    @Test
    void aTransactionItsCoordinatorHasOpenOnThePartitionIsLeftAlone() {
        for (TransactionState open : Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)) {
            assertThat(HangingTransactions.hanging(OLD, Optional.of(coordinator(open, 95, Set.of(CHANGELOG))), NOW, MIN_AGE))
                    .as(open.toString()).isFalse();
        }
    }

    @Test
    void aRecentTransactionIsLeftAloneWhateverItsCoordinatorSays() {
        // younger than a few transaction timeouts: the coordinator may not have loaded or aborted it yet
        assertThat(HangingTransactions.hanging(RECENT, Optional.empty(), NOW, MIN_AGE)).isFalse();
        assertThat(HangingTransactions.hanging(RECENT, Optional.of(coordinator(TransactionState.EMPTY, 97, Set.of())), NOW, MIN_AGE)).isFalse();
    }

    @Test
    void theAbortNamesThePartitionsProducerAndEpochs() {
        var spec = OLD.abort();
        assertThat(spec.topicPartition()).isEqualTo(CHANGELOG);
        assertThat(spec.producerId()).isZero();
        assertThat(spec.producerEpoch()).isEqualTo((short) 95);
        assertThat(spec.coordinatorEpoch()).isZero();
    }

    private static TransactionDescription coordinator(TransactionState state, int epoch, Set<TopicPartition> partitions) {
        return new TransactionDescription(1, state, 0, epoch, 5_000, OptionalLong.empty(), partitions);
    }
}
