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
    void keepsTheLastBundlePerUserSortedByUserId() {
        LatestPerUser latest = LatestPerUser.of(records(List.of(bundle(9, 1), bundle(3, 1), bundle(9, 2), bundle(5, 1), bundle(3, 2))));
        assertThat(latest.userIds()).containsExactly(3, 5, 9);
        assertThat(latest.live()).containsExactly(bundle(3, 2), bundle(5, 1), bundle(9, 2));
    }

    @Test
    void aDeletionDeletesAndWritesNothingUnlessALaterChangeFollows() {
        List<SinkRecord<Long, UserRows>> batch = new ArrayList<>(records(List.of(bundle(1, 1), bundle(2, 1), deleted(3))));
        batch.add(tombstone(1));
        batch.add(tombstone(2));
        batch.addAll(records(List.of(bundle(2, 3))));
        LatestPerUser latest = LatestPerUser.of(batch);
        assertThat(latest.userIds()).containsExactly(1, 2, 3);
        assertThat(latest.live()).containsExactly(bundle(2, 3));
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
