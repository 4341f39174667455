package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reduces a batch of etl.user-rows records to what the tables must end up with: the last change per
 * user, as Debezium's JDBC sink keeps the latest record per key. Pure and in memory.
 *
 * <p>Consumes records in batch order (per user that is partition order, the order of the changes: the
 * topic is keyed by user id); produces every user id the batch touches, whose rows are to be deleted,
 * and the last bundle of each user that still exists, whose rows are to be written. Both are sorted by
 * user id, so the inserts reach the indexes in key order. A tombstone (null value) deletes like a bundle
 * with {@code deleted = true}.
 *
 * @param userIds every user of the batch, ascending
 * @param live    the last bundle of each user whose last change is not a deletion, by ascending user id
 */
public record LatestPerUser(long[] userIds, List<UserRows> live) {

    /**
     * @throws IllegalArgumentException for a record that cannot be applied (no user id, a key that is not
     *                                  its value's user, a row of another user): the record's fault
     */
    public static LatestPerUser of(List<SinkRecord<Long, UserRows>> batch) {
        Map<Long, UserRows> latest = new TreeMap<>();
        for (SinkRecord<Long, UserRows> r : batch) {
            UserRows bundle = r.value();
            long userId = userIdOf(r);
            if (bundle != null && !bundle.getDeleted()) {
                for (EtlTable<?> table : EtlTables.PARENTS_FIRST) table.checkOwner(bundle);
            }
            // A later change replaces an earlier one; a deletion is kept as null, to delete and write nothing.
            latest.put(userId, bundle == null || bundle.getDeleted() ? null : bundle);
        }
        long[] ids = new long[latest.size()];
        List<UserRows> live = new ArrayList<>(latest.size());
        int i = 0;
        for (Map.Entry<Long, UserRows> e : latest.entrySet()) {
            ids[i++] = e.getKey();
            if (e.getValue() != null) live.add(e.getValue());
        }
        return new LatestPerUser(ids, List.copyOf(live));
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

    public boolean isEmpty() {
        return userIds.length == 0;
    }
}
