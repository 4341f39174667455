package io.sluice.backfill.simulator;

import io.sluice.backfill.atproto.car.BlockSink;
import io.sluice.backfill.atproto.cbor.CborWriter;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.repo.RepoBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The records of one simulated repository, as a deterministic stream: a pure function of the
 * seed and the DID's index, emitted in MST key order so that {@link RepoBuilder} can build the
 * tree in one pass and nothing is held per record.
 *
 * <p>An account is created at a random moment between 2023-02 and 2025-01; it gets one profile
 * ({@code self}) and its other records are split over likes, posts, reposts and follows (about
 * 45/25/12/18 %). Each collection's records get strictly increasing creation times from then
 * until about 2025-06, and TID record keys from those times and the account's clock id, so key
 * order is time order within a collection and collections follow one another in key order.
 */
final class RepoContent {

    private static final long START = Instant.parse("2023-02-01T00:00:00Z").toEpochMilli() * 1000;
    private static final long CREATION_SPAN = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() * 1000 - START;
    private static final long END = Instant.parse("2025-06-01T00:00:00Z").toEpochMilli() * 1000;
    /** Cumulative shares of like, post, repost, follow among non-profile records. */
    private static final double[] MIX = {0.45, 0.70, 0.82, 1.0};

    /** What emitting a repository produced: its MST root, revision and contents ({@code checksum} 0 if not asked for). */
    record Emitted(Cid data, String rev, long records, long[] perCollection, long checksum) {
    }

    private final long seed;
    private final Population population;

    RepoContent(long seed, Population population) {
        this.seed = seed;
        this.population = population;
    }

    /**
     * Emits {@code records} records of account {@code index} (blocks and MST nodes) to {@code sink};
     * computes the {@link RecordChecksum} only if asked, since it costs one more hash per record and
     * is the same every time. {@code laterCommits}: commits made since that changed no record (each moves
     * the revision on by one microsecond).
     */
    Emitted emit(int index, long records, BlockSink sink, boolean withChecksum, long laterCommits) throws IOException {
        SplittableRandom plan = Seeds.random(seed, index, -2);
        long[] counts = split(records, plan);
        long created = START + plan.nextLong(CREATION_SPAN);
        int clock = plan.nextInt(1024);
        String did = population.did(index);
        RepoBuilder builder = new RepoBuilder(sink);
        RecordShapes shapes = new RecordShapes(population);
        RecordChecksum checksum = new RecordChecksum();
        long latest = created;
        for (int c = 0; c < counts.length; c++) {
            SplittableRandom rng = Seeds.random(seed, index, c);
            String collection = RecordShapes.COLLECTIONS.get(c);
            long gap = Math.max(1, (END - created) / (counts[c] + 1));
            long t = created;
            for (long k = 0; k < counts[c]; k++) {
                if (c > 0) {
                    t += 1 + rng.nextLong(2 * gap);
                }
                String rkey = c == 0 ? "self" : Timestamps.tid(t, clock);
                CborWriter record = shapes.write(c, rng, index, t);
                Cid cid = builder.add(collection, rkey, record.array(), 0, record.size());
                if (withChecksum) {
                    checksum.add(did, collection, rkey, cid);
                }
            }
            latest = Math.max(latest, t);
        }
        return new Emitted(builder.finish(), Timestamps.tid(latest + 1 + laterCommits, clock), records, counts, checksum.value());
    }

    /** Records per collection, in {@link RecordShapes#COLLECTIONS} order: one profile, the rest drawn by {@link #MIX}. */
    private static long[] split(long records, SplittableRandom rng) {
        long[] counts = new long[RecordShapes.COLLECTIONS.size()];
        if (records == 0) {
            return counts;
        }
        counts[0] = 1;
        for (long i = 1; i < records; i++) {
            double u = rng.nextDouble();
            int c = 0;
            while (u >= MIX[c]) {
                c++;
            }
            counts[c + 1]++;
        }
        return counts;
    }
}
