package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reduces a batch of etl.user-rows records to the newest change per user, by source position: what
 * the tables must end up with, unless the sink already applied a change at or after it (see
 * {@link UserPositions}). Pure and in memory.
 *
 * <p>Consumes records in any order: of two changes to a user the one at the higher
 * {@link SourcePosition} wins, whatever came first; at equal positions (a redelivery) the first is
 * kept. A tombstone (null value) carries no position: Debezium sends it after the delete event, which
 * carries the delete's position and has done the work. So a tombstone counts only for a user with no
 * positioned change in the batch, and then deletes like a deletion bundle if the sink knows no
 * position for the user either. Produces the changes sorted by user id, so the inserts reach the
 * indexes in key order.
 *
 * @param changes the newest change of each user of the batch, by ascending user id
 */
public record LatestPerUser(List<Change> changes) {

    /**
     * The newest change of one user in a batch.
     *
     * @param position null for a tombstone
     * @param bundle   the user's rows to write; null when the change deletes the user
     */
    public record Change(long userId, SourcePosition position, UserRows bundle) {

        public boolean deletes() {
            return bundle == null;
        }
    }

    /**
     * @throws IllegalArgumentException for a record that cannot be applied (no user id, a key that is not
     *                                  its value's user, a row of another user): the record's fault
     */
    public static LatestPerUser of(List<SinkRecord<Long, UserRows>> batch) {
        Map<Long, Change> newest = new TreeMap<>();
        for (SinkRecord<Long, UserRows> r : batch) {
            UserRows bundle = r.value();
            long userId = userIdOf(r);
            if (bundle != null && !bundle.getDeleted()) {
                for (EtlTable<?> table : EtlTables.PARENTS_FIRST) table.checkOwner(bundle);
            }
            Change change = new Change(userId, bundle == null ? null : SourcePosition.of(bundle),
                    bundle == null || bundle.getDeleted() ? null : bundle);
            newest.merge(userId, change, LatestPerUser::newer);
        }
        return new LatestPerUser(List.copyOf(newest.values()));
    }

    private static Change newer(Change kept, Change next) {
        if (next.position() == null) return kept;
        if (kept.position() == null) return next;
        return next.position().isAfter(kept.position()) ? next : kept;
    }

    private static long userIdOf(SinkRecord<Long, UserRows> r) {
        Long key = r.key();
        UserRows bundle = r.value();
        if (bundle == null) {
            if (key == null) throw new IllegalArgumentException("a tombstone without a key names no user");
            return key;
        }
        if (key != null && key != bundle.getUserId()) {
            throw new IllegalArgumentException("key " + key + " is not the bundle's user " + bundle.getUserId());
        }
        return bundle.getUserId();
    }

    public long[] userIds() {
        return changes.stream().mapToLong(Change::userId).toArray();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
