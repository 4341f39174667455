package io.sluice.cli.etl;

import io.sluice.etl.cdc.UserChangeFeed;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * Which changes {@code sluice generate-users}, the pipeline tests and the benchmark make to a generated
 * users collection: users {@code 1..users} are created (or read by an initial snapshot), then users
 * {@code 1..updates} get one update each (arrays shrink and grow, see {@code UserUpdates}), then
 * {@code deletes} users spread evenly over the ids are deleted: every {@code users / deletes}-th one, so
 * some deleted users were updated first and some were not.
 *
 * <p>Pure and deterministic: the same plan and generator seed always give the same events and the
 * same final collection.
 *
 * @param users    users created, ids from 1
 * @param updates  users updated once, ids {@code 1..updates}
 * @param deletes  users deleted
 * @param snapshot whether the users arrive as an initial snapshot (op {@code r}) rather than inserts ({@code c})
 */
public record UserChangePlan(long users, int updates, int deletes, boolean snapshot) {

    /** Events per {@link #publish} chunk: bounds the encoded events held at once. */
    static final int CHUNK = 1_000;

    public UserChangePlan {
        if (users < 1) throw new IllegalArgumentException("users must be >= 1, got " + users);
        if (users > Integer.MAX_VALUE) throw new IllegalArgumentException("users must be <= " + Integer.MAX_VALUE + ", got " + users);
        if (updates < 0 || updates > users) throw new IllegalArgumentException("updates must be in 0.." + users + ", got " + updates);
        if (deletes < 0 || deletes > users) throw new IllegalArgumentException("deletes must be in 0.." + users + ", got " + deletes);
    }

    /** Only creates (or a snapshot) of {@code users} users. */
    public static UserChangePlan creates(long users) {
        return new UserChangePlan(users, 0, 0, false);
    }

    public List<Long> updatedIds() {
        return LongStream.rangeClosed(1, updates).boxed().toList();
    }

    /** Every {@code users / deletes}-th id, ascending; the last one is {@code deletes * (users / deletes)}. */
    public List<Long> deletedIds() {
        if (deletes == 0) return List.of();
        long stride = users / deletes;
        return LongStream.rangeClosed(1, deletes).map(k -> k * stride).boxed().toList();
    }

    /** The ids that exist when the plan has run, ascending. */
    public List<Long> liveIds() {
        Set<Long> deleted = new HashSet<>(deletedIds());
        return LongStream.rangeClosed(1, users).filter(id -> !deleted.contains(id)).boxed().toList();
    }

    /** Change events: one per create or update, a delete event plus its tombstone per delete. */
    public long eventCount() {
        return users + updates + 2L * deletes;
    }

    /** All the plan's events, in order, in memory. */
    public List<SourceRecord> events(UserChangeFeed feed) {
        List<SourceRecord> all = new ArrayList<>((int) Math.min(eventCount(), Integer.MAX_VALUE));
        publish(feed, chunk -> all.addAll(chunk));
        return all;
    }

    /**
     * Hands the plan's events to {@code sink} in order, in chunks of about {@value #CHUNK}, so a large
     * plan is never held as events all at once (the feed keeps the current documents, as MongoDB would).
     * An initial snapshot is one chunk: Debezium marks only its last record as the snapshot's last.
     */
    public void publish(UserChangeFeed feed, Consumer<List<SourceRecord>> sink) {
        if (snapshot) {
            sink.accept(feed.snapshot(1, users));
        } else {
            for (long from = 1; from <= users; from += CHUNK) sink.accept(feed.create(from, Math.min(users, from + CHUNK - 1)));
        }
        List<SourceRecord> chunk = new ArrayList<>();
        for (long id : updatedIds()) {
            chunk.add(feed.update(id));
            if (chunk.size() >= CHUNK) chunk = flush(chunk, sink);
        }
        for (long id : deletedIds()) {
            chunk.addAll(feed.delete(id));
            if (chunk.size() >= CHUNK) chunk = flush(chunk, sink);
        }
        if (!chunk.isEmpty()) sink.accept(chunk);
    }

    private static List<SourceRecord> flush(List<SourceRecord> chunk, Consumer<List<SourceRecord>> sink) {
        sink.accept(chunk);
        return new ArrayList<>();
    }
}
