package io.sluice.cli.etl;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserChangePlanTest {

    @Test
    void updatesTheFirstUsersAndDeletesEveryNthSoSomeDeletedUsersWereUpdated() {
        UserChangePlan plan = new UserChangePlan(1_000, 100, 50, false);

        assertThat(plan.updatedIds()).hasSize(100).startsWith(1L, 2L).endsWith(100L);
        assertThat(plan.deletedIds()).hasSize(50).startsWith(20L, 40L).endsWith(1_000L);
        assertThat(plan.deletedIds()).filteredOn(plan.updatedIds()::contains).containsExactly(20L, 40L, 60L, 80L, 100L);
        assertThat(plan.liveIds()).hasSize(950).doesNotContain(20L, 1_000L).contains(1L, 999L);
        assertThat(plan.eventCount()).isEqualTo(1_200);
    }

    @Test
    void eventsAreCreatesThenUpdatesThenDeletesWithTombstones() {
        UserChangePlan plan = new UserChangePlan(10, 3, 2, false);
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(3), new MongoChangeEvents("app", Clock.system()));

        List<SourceRecord> events = plan.events(feed);

        assertThat(events).hasSize((int) plan.eventCount());
        List<String> ops = new ArrayList<>();
        for (SourceRecord r : events) ops.add(r.value() == null ? "tombstone" : ((Struct) r.value()).getString("op"));
        assertThat(ops).containsExactly("c", "c", "c", "c", "c", "c", "c", "c", "c", "c", "u", "u", "u",
                "d", "tombstone", "d", "tombstone");
        assertThat(events).allSatisfy(r -> assertThat(r.topic()).isEqualTo("cdc.app.users"));
    }

    @Test
    void aSnapshotIsReadEventsInOneChunk() {
        UserChangePlan plan = new UserChangePlan(2_500, 0, 0, true);
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(3), new MongoChangeEvents("app", Clock.system()));
        List<Integer> chunks = new ArrayList<>();

        plan.publish(feed, chunk -> chunks.add(chunk.size()));

        assertThat(chunks).containsExactly(2_500);
    }

    @Test
    void createsGoOutInChunks() {
        UserChangePlan plan = new UserChangePlan(2_500, 0, 0, false);
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(3), new MongoChangeEvents("app", Clock.system()));
        List<Integer> chunks = new ArrayList<>();

        plan.publish(feed, chunk -> chunks.add(chunk.size()));

        assertThat(chunks).containsExactly(1_000, 1_000, 500);
    }

    @Test
    void refusesCountsOutsideTheUsers() {
        assertThatThrownBy(() -> new UserChangePlan(0, 0, 0, false)).hasMessageContaining("users must be >= 1");
        assertThatThrownBy(() -> new UserChangePlan(10, 11, 0, false)).hasMessageContaining("updates must be in 0..10");
        assertThatThrownBy(() -> new UserChangePlan(10, 0, -1, false)).hasMessageContaining("deletes must be in 0..10");
    }
}
