package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;
import org.apache.avro.specific.SpecificRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records sink's {@link SinkWriter}: splits a batch by value type, keeps one row per key (the
 * last RepoRecord of each (did, collection, rkey) unless an earlier one has a higher rev; the
 * {@link StatusOrder latest} DidStatus of each DID) and upserts both tables in the sink's
 * transaction, and follows each DID's last complete export ({@link StoredExports}). Tombstones (null values, from compaction of backfill.status) are skipped.
 *
 * <p>Newest wins, by repository revision: a record whose rev is older than the newest export of its
 * repository the sink has seen ({@link RepoRevisions}) is skipped, so replaying an older run neither
 * reverts a record (the upsert also changes a row only for a higher rev) nor brings back one the newer
 * export no longer holds.
 *
 * <p>A RepoRecord the sink dead-letters is counted against its DID's status ({@link #rejected}), so a
 * repository missing one of its records never reads DONE.
 */
final class BackfillWriter implements SinkWriter<String, SpecificRecord> {

    private record RecordKey(String did, String collection, String rkey) {
    }

    @Override
    public void write(Connection tx, List<SinkRecord<String, SpecificRecord>> batch) throws SQLException {
        Map<RecordKey, RepoRecord> records = new LinkedHashMap<>();
        Map<String, DidStatus> statuses = new LinkedHashMap<>();
        List<DidStatus> all = new ArrayList<>();
        for (SinkRecord<String, SpecificRecord> r : batch) {
            switch (r.value()) {
                case null -> { }
                case RepoRecord rec -> records.merge(new RecordKey(rec.getDid(), rec.getCollection(), rec.getRkey()), rec,
                        (current, next) -> next.getRev().compareTo(current.getRev()) >= 0 ? next : current);
                case DidStatus s -> {
                    all.add(s);
                    statuses.merge(s.getDid(), s, (current, next) -> StatusOrder.supersedes(next, current) ? next : current);
                }
                default -> throw new IllegalArgumentException("unexpected value type "
                        + r.value().getClass().getName() + " on " + r.topic());
            }
        }
        RepoRecordsTable.upsert(tx, RepoRevisions.newestExports(tx, records.values()));
        BackfillDidsTable.upsert(tx, statuses.values());
        StoredExports.apply(tx, all);
    }

    /** A RepoRecord the sink dead-letters must not leave its DID DONE: see {@link RecordRejections}. */
    @Override
    public void rejected(Connection tx, List<SinkRecord<String, SpecificRecord>> rejected) throws SQLException {
        List<RepoRecord> records = new ArrayList<>();
        for (SinkRecord<String, SpecificRecord> r : rejected) {
            if (r.value() instanceof RepoRecord rec) records.add(rec);
        }
        RecordRejections.record(tx, records);
    }
}
