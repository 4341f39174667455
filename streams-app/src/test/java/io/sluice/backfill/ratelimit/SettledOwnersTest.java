package io.sluice.backfill.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettledOwnersTest {

    private final SettledOwners owners = new SettledOwners(2_000);

    @Test
    void aPartitionTakesTasksOnlyOnceItsOwnerHeldItForTheSettleTime() {
        assertThat(owners.update(Map.of(0, "a", 1, "a"), 10_000)).isEmpty();
        assertThat(owners.update(Map.of(0, "a", 1, "a"), 11_999)).isEmpty();
        assertThat(owners.update(Map.of(0, "a", 1, "a"), 12_000)).containsExactly(0, 1);
    }

    @Test
    void aPartitionMovedToAnotherMemberSettlesAgainWhileTheOthersKeepTakingTasks() {
        owners.update(Map.of(0, "a", 1, "a", 2, "a"), 0);
        assertThat(owners.update(Map.of(0, "a", 1, "a", 2, "a"), 2_000)).containsExactly(0, 1, 2);
        assertThat(owners.update(Map.of(0, "a", 1, "b", 2, "a"), 3_000)).containsExactly(0, 2);
        assertThat(owners.update(Map.of(0, "a", 1, "b", 2, "a"), 5_000)).containsExactly(0, 1, 2);
    }

    @Test
    void aPartitionNobodyOwnsIsForgottenAndSettlesAfreshWhenOwnedAgain() {
        owners.update(Map.of(0, "a", 1, "a"), 0);
        assertThat(owners.update(Map.of(1, "a"), 2_500)).containsExactly(1);
        assertThat(owners.update(Map.of(0, "a", 1, "a"), 3_000)).containsExactly(1);
        assertThat(owners.update(Map.of(0, "a", 1, "a"), 5_000)).containsExactly(0, 1);
        assertThat(owners.update(Map.of(), 6_000)).isEmpty();
    }

    @Test
    void noSettleTimeMeansEveryOwnedPartitionAtOnce() {
        assertThat(new SettledOwners(0).update(Map.of(3, "a", 1, "b"), 0)).containsExactly(1, 3);
        assertThatThrownBy(() -> new SettledOwners(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
