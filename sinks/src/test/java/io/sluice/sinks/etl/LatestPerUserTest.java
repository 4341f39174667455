package io.sluice.sinks.etl;

import io.sluice.schemas.etl.EducationRow;
import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sluice.sinks.etl.testing.EtlDatabase.records;
import static io.sluice.sinks.etl.testing.EtlDatabase.tombstone;
import static io.sluice.sinks.etl.testing.TestBundles.bundle;
import static io.sluice.sinks.etl.testing.TestBundles.deleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatestPerUserTest {

    @Test
    void keepsTheNewestBundlePerUserSortedByUserId() {
        LatestPerUser latest = LatestPerUser.of(records(List.of(bundle(9, 1), bundle(3, 1), bundle(9, 2), bundle(5, 1), bundle(3, 2))));
        assertThat(latest.userIds()).containsExactly(3, 5, 9);
        assertThat(live(latest)).containsExactly(bundle(3, 2), bundle(5, 1), bundle(9, 2));
    }

    @Test
    void theHighestPositionWinsNotTheLastArrival() {
        LatestPerUser latest = LatestPerUser.of(records(List.of(bundle(9, 3), bundle(9, 1), bundle(3, 2), bundle(3, 1), bundle(9, 2))));
        assertThat(live(latest)).containsExactly(bundle(3, 2), bundle(9, 3));
    }

    @Test
    void anOldCreateAfterTheDeletionDoesNotBringTheUserBack() {
        LatestPerUser latest = LatestPerUser.of(records(List.of(bundle(1, 1), deleted(1), bundle(1, 1))));
        assertThat(latest.changes()).singleElement().satisfies(c -> {
            assertThat(c.deletes()).isTrue();
            assertThat(c.position()).isEqualTo(SourcePosition.of(deleted(1)));
        });
    }

    @Test
    void atEqualPositionsTheFirstIsKept() {
        UserRows first = bundle(1, 1);
        UserRows same = UserRows.newBuilder(first).setSourceOrd(first.getSourceOrd()).build();
        same.getUsers().getFirst().setFirstName("redelivered");
        assertThat(live(LatestPerUser.of(records(List.of(first, same))))).containsExactly(first);
    }

    @Test
    void aTombstoneCountsOnlyForAUserWithoutAPositionedChange() {
        List<SinkRecord<Long, UserRows>> batch = new ArrayList<>(records(List.of(bundle(1, 1), deleted(3))));
        batch.add(tombstone(1));
        batch.add(tombstone(2));
        batch.add(tombstone(3));
        LatestPerUser latest = LatestPerUser.of(batch);
        assertThat(latest.userIds()).containsExactly(1, 2, 3);
        assertThat(live(latest)).containsExactly(bundle(1, 1));
        assertThat(latest.changes()).extracting(LatestPerUser.Change::position)
                .containsExactly(SourcePosition.of(bundle(1, 1)), null, SourcePosition.of(deleted(3)));
    }

    @Test
    void positionsOrderBySecondThenIncrementAndWithoutIncrementByArrival() {
        SourcePosition p = new SourcePosition(2_000, 5);
        assertThat(new SourcePosition(2_000, 6).isAfter(p)).isTrue();
        assertThat(new SourcePosition(3_000, 0).isAfter(p)).isTrue();
        assertThat(new SourcePosition(2_000, 5).isAfter(p)).as("a redelivery").isFalse();
        assertThat(new SourcePosition(2_000, 4).isAfter(p)).isFalse();
        assertThat(new SourcePosition(1_000, 9).isAfter(p)).isFalse();
        assertThat(new SourcePosition(2_000, null).isAfter(p)).as("no increment: the later arrival wins a tie").isTrue();
        assertThat(new SourcePosition(1_000, null).isAfter(p)).isFalse();
    }

    @Test
    void aBundleWithoutAKeyIsItsOwnUsers() {
        LatestPerUser latest = LatestPerUser.of(List.of(new SinkRecord<>("t", 0, 0, 0, null, bundle(4, 1))));
        assertThat(latest.userIds()).containsExactly(4);
    }

    @Test
    void refusesRecordsItCannotApply() {
        assertThatThrownBy(() -> LatestPerUser.of(List.of(new SinkRecord<Long, UserRows>("t", 0, 0, 0, null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> LatestPerUser.of(List.of(new SinkRecord<>("t", 0, 0, 0, 2L, bundle(4, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 2");
        UserRows foreign = UserRows.newBuilder(bundle(4, 1))
                .setEducation(List.of(new EducationRow(40_000L, 5L, null, null, null, null, null))).build();
        assertThatThrownBy(() -> LatestPerUser.of(records(List.of(foreign))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("education row of user 5");
    }

    private static List<UserRows> live(LatestPerUser latest) {
        return latest.changes().stream().filter(c -> !c.deletes()).map(LatestPerUser.Change::bundle).toList();
    }

    @Test
    void anEmptyBatchTouchesNoUser() {
        assertThat(LatestPerUser.of(List.of()).isEmpty()).isTrue();
    }

    @Test
    void tablesAreDeletedChildrenFirstAndWrittenParentsFirst() {
        List<String> parentsFirst = EtlTables.PARENTS_FIRST.stream().map(EtlTable::name).toList();
        assertThat(parentsFirst).hasSize(15).doesNotHaveDuplicates().startsWith("users");
        assertThat(parentsFirst.indexOf("messages")).isLessThan(parentsFirst.indexOf("attachments"));
        assertThat(EtlTables.CHILDREN_FIRST).containsExactlyElementsOf(EtlTables.PARENTS_FIRST.reversed());
        assertThat(EtlTables.USERS.deleteSql("etl")).isEqualTo("DELETE FROM etl.users WHERE id = ANY (?)");
        assertThat(EtlTables.ACTIVITY_LOG.copySql("etl")).isEqualTo(
                "COPY etl.activity_log (\"id\", \"user_id\", \"action\", \"ip\", \"timestamp\") FROM STDIN (FORMAT BINARY)");
    }
}
