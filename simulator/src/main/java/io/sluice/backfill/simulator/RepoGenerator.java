package io.sluice.backfill.simulator;

import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.Sha256;
import io.sluice.backfill.atproto.repo.RepoBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link RepoContent} into {@code getRepo} CARs: header with the commit as root, the commit,
 * then records and MST nodes as they are produced.
 *
 * <p>Two ways: {@link #inMemory} builds the CAR in one pass (blocks into a buffer, then the commit,
 * which needs the tree's root, goes in front); {@link #streamed} is for repositories too big to
 * hold: a first pass only counts bytes and hashes, giving the commit, the header and the exact
 * Content-Length, and every request then regenerates the same blocks straight onto the socket.
 * Memory is then O(tree height), whatever the size. Thread-safe: each call has its own state.
 *
 * <p>The commit is shaped like a signed one; its 64-byte {@code sig} is derived from the seed,
 * not a signature (the simulated DID documents' keys are equally synthetic).
 */
final class RepoGenerator {

    /** A repository generated into memory; {@code expected} is null when it was not asked for. */
    record Generated(byte[] car, ExpectedRepo expected) {
    }

    private final long seed;
    private final Population population;
    private final RepoContent content;

    RepoGenerator(long seed, Population population) {
        this.seed = seed;
        this.population = population;
        this.content = new RepoContent(seed, population);
    }

    Generated inMemory(int index, long records, boolean withExpected) {
        return inMemory(index, records, withExpected, 0);
    }

    /** @param laterCommits see {@link RepoContent#emit} */
    Generated inMemory(int index, long records, boolean withExpected, long laterCommits) {
        try {
            Buffer blocks = new Buffer((int) Math.min(Integer.MAX_VALUE - 64, 64 + records * 420));
            RepoContent.Emitted emitted = content.emit(index, records, new CarWriter(blocks), withExpected, laterCommits);
            Front front = front(index, emitted);
            int total = Math.toIntExact(front.length() + blocks.size());
            Buffer car = new Buffer(total);
            front.writeTo(car);
            blocks.writeTo(car);
            return new Generated(car.exactArray(), withExpected ? expected(index, emitted, front, total) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
    }

    /** First pass over a repository of {@code records} records: everything but the bytes. */
    Streamed streamed(int index, long records) {
        try {
            CarWriter counter = new CarWriter(OutputStream.nullOutputStream());
            RepoContent.Emitted emitted = content.emit(index, records, counter, true, 0);
            Front front = front(index, emitted);
            long total = front.length() + counter.bytesWritten();
            return new Streamed(index, records, front, emitted.data(), expected(index, emitted, front, total));
        } catch (IOException e) {
            throw new UncheckedIOException("counting streams do not fail", e);
        }
    }

    /** The header and commit section, which need the finished tree's root. */
    private Front front(int index, RepoContent.Emitted emitted) {
        String did = population.did(index);
        byte[] sig = new byte[64];
        System.arraycopy(Sha256.digest(("sig:" + seed + ":" + did).getBytes(StandardCharsets.UTF_8)), 0, sig, 0, 32);
        System.arraycopy(Sha256.digest(("sig2:" + seed + ":" + did).getBytes(StandardCharsets.UTF_8)), 0, sig, 32, 32);
        byte[] commit = RepoBuilder.commitBytes(did, emitted.data(), emitted.rev(), sig);
        Cid commitCid = Cid.of(Cid.DAG_CBOR, commit);
        return new Front(CarWriter.headerBytes(List.of(commitCid)), commit, commitCid);
    }

    private ExpectedRepo expected(int index, RepoContent.Emitted emitted, Front front, long carBytes) {
        Map<String, Long> collections = new LinkedHashMap<>();
        for (int c = 0; c < emitted.perCollection().length; c++) {
            if (emitted.perCollection()[c] > 0) {
                collections.put(RecordShapes.COLLECTIONS.get(c), emitted.perCollection()[c]);
            }
        }
        return new ExpectedRepo(population.did(index), population.hostName(population.hostOf(index)), emitted.records(),
                collections, RecordChecksum.hex(emitted.checksum()), front.commitCid().toString(), emitted.rev(), carBytes);
    }

    private record Front(byte[] header, byte[] commit, Cid commitCid) {

        long length() {
            return CarWriter.headerLength(List.of(commitCid))
                    + CarWriter.sectionLength(commitCid.encodedLength(), commit.length);
        }

        void writeTo(OutputStream out) throws IOException {
            new CarWriter(out).rawHeader(header).block(commitCid, commit);
        }
    }

    /** A repository regenerated onto the stream on every write. */
    final class Streamed implements RepoBody {
        private final int index;
        private final long records;
        private final Front front;
        private final Cid data;
        private final ExpectedRepo expected;

        private Streamed(int index, long records, Front front, Cid data, ExpectedRepo expected) {
            this.index = index;
            this.records = records;
            this.front = front;
            this.data = data;
            this.expected = expected;
        }

        ExpectedRepo expected() {
            return expected;
        }

        @Override
        public long length() {
            return expected.carBytes();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            front.writeTo(out);
            RepoContent.Emitted again = content.emit(index, records, new CarWriter(out), false, 0);
            if (!again.data().equals(data)) {
                // generation is a pure function of the seed; a difference is a bug, and the body already
                // sent is wrong: fail loudly so the connection is cut rather than finished
                throw new IllegalStateException("streamed repository " + expected.did() + " came out different");
            }
        }
    }

    /** A byte buffer whose exactly-filled array can be taken without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int capacity) {
            super(capacity);
        }

        byte[] exactArray() {
            return count == buf.length ? buf : toByteArray();
        }
    }
}
