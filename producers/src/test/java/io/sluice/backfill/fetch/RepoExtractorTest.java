package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.car.CarFormatException;
import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.repo.RepoFormatException;
import io.sluice.backfill.atproto.store.BlockStore;
import io.sluice.backfill.atproto.store.MemoryBudget;
import io.sluice.backfill.atproto.testing.Cars;
import io.sluice.backfill.atproto.testing.RawCar;
import io.sluice.backfill.simulator.ExpectedRepo;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepoExtractorTest {

    private static PdsSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        simulator = PdsSimulator.start(PdsSimulatorConfig.builder().hosts(1).dids(3).records(RecordCounts.exactly(3_000)).build());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void everyRecordComesOutWithItsRevWhetherHeldOnTheHeapOrSpilled() throws IOException {
        String did = simulator.dids().getFirst();
        for (long budget : new long[] {64L << 20, 0}) {
            RecordChecksum checksum = new RecordChecksum();
            List<String> revs = new ArrayList<>();
            RepoExtractor.Summary summary = extract(did, car(did), budget, (rev, collection, rkey, cid, json) -> {
                checksum.add(did, collection, rkey, cid);
                revs.add(rev);
                assertThat(json).startsWith("{");
            });

            ExpectedRepo expected = simulator.expected(did);
            assertThat(summary.records()).isEqualTo(expected.records()).isEqualTo(checksum.count());
            assertThat(checksum.hex()).isEqualTo(expected.checksum());
            assertThat(summary.rev()).isEqualTo(expected.rev());
            assertThat(summary.bytes()).isEqualTo(expected.carBytes());
            assertThat(summary.missing()).isZero();
            assertThat(revs).containsOnly(expected.rev());
        }
    }

    @Test
    void blockOrderDoesNotMatter() throws IOException {
        String did = simulator.dids().get(1);
        RawCar.Car raw = RawCar.parse(car(did));
        List<byte[][]> sections = new ArrayList<>(raw.sections().stream().map(s -> new byte[][] {s.cid(), s.data()}).toList());
        Collections.reverse(sections);
        RecordChecksum checksum = new RecordChecksum();
        extract(did, Cars.write(raw.header(), sections), 0, (rev, c, r, cid, json) -> checksum.add(did, c, r, cid));
        assertThat(checksum.hex()).isEqualTo(simulator.expected(did).checksum());
    }

    @Test
    void aMissingOrCorruptRecordBlockIsCountedAsMissing() throws IOException {
        String did = simulator.dids().get(2);
        RawCar.Car raw = RawCar.parse(car(did));
        List<byte[][]> sections = new ArrayList<>(raw.sections().stream().map(s -> new byte[][] {s.cid(), s.data()}).toList());
        sections.remove(sections.size() / 2); // a record or a node
        byte[] corrupt = sections.get(3)[1].clone();
        corrupt[corrupt.length - 1] ^= 1;
        sections.set(3, new byte[][] {sections.get(3)[0], corrupt});

        RepoExtractor.Summary summary = extract(did, Cars.write(raw.header(), sections), 1 << 20, (rev, c, r, cid, json) -> { });
        assertThat(summary.missing()).isPositive();
        assertThat(summary.badCids()).isEqualTo(1);
    }

    @Test
    void someoneElsesRepositoryIsMalformed() {
        String did = simulator.dids().getFirst();
        assertThatThrownBy(() -> extract("did:plc:someoneelse234567abcdefg", car(did), 0, (rev, c, r, cid, json) -> { }))
                .isInstanceOf(RepoFormatException.class).hasMessageContaining("commit is " + did);
    }

    /** The fetcher reads the commit with the repository parser's {@code Commit.decode}, so it refuses what that refuses. */
    @Test
    void aCommitTheRepositoryParserRefusesIsRefusedHereToo() throws IOException {
        String did = simulator.dids().getFirst();
        RawCar.Car raw = RawCar.parse(car(did));
        RawCar.Section commitSection = raw.sections().stream()
                .filter(sec -> DagCborDecoder.decodeMap(sec.data()).containsKey("sig")).findFirst().orElseThrow();
        Map<String, Object> unsigned = new HashMap<>(DagCborDecoder.decodeMap(commitSection.data()));
        unsigned.remove("sig");
        Map<String, Object> badPrev = new HashMap<>(DagCborDecoder.decodeMap(commitSection.data()));
        badPrev.put("prev", "not a link");

        for (Map<String, Object> commit : List.of(unsigned, badPrev)) {
            Cid root = DagCborEncoder.cidOf(commit);
            List<byte[][]> sections = new ArrayList<>(raw.sections().stream()
                    .filter(sec -> sec != commitSection).map(sec -> new byte[][] {sec.cid(), sec.data()}).toList());
            sections.add(new byte[][] {root.toBytes(), DagCborEncoder.encodeValue(commit)});
            byte[] car = Cars.write(CarWriter.headerBytes(List.of(root)), sections);

            assertThatThrownBy(() -> extract(did, car, 0, (rev, c, r, cid, json) -> { })).as(commit.keySet().toString())
                    .isInstanceOf(RepoFormatException.class).hasMessageContaining("commit " + root);
        }
    }

    @Test
    void aCarOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        String did = simulator.dids().getFirst();
        byte[] car = car(did);
        try (BlockStore store = new BlockStore(new MemoryBudget(0), dir)) {
            assertThatThrownBy(() -> RepoExtractor.load(new ByteArrayInputStream(car), new Limits(4096, 64 * 1024), store))
                    .isInstanceOfSatisfying(CarFormatException.class,
                            e -> assertThat(e.reason()).isEqualTo(CarFormatException.Reason.LIMIT_EXCEEDED));
            // what was stored came from the first 64 KiB; each entry adds a header of at most 5 bytes
            assertThat(store.spilledBytes()).isLessThanOrEqualTo(64 * 1024 + 5 * store.blocks());
        }
        byte[] cut = Arrays.copyOf(car, car.length - 10);
        try (BlockStore store = new BlockStore(new MemoryBudget(0), dir)) {
            assertThatThrownBy(() -> RepoExtractor.load(new ByteArrayInputStream(cut), Limits.DEFAULT, store))
                    .isInstanceOfSatisfying(CarFormatException.class,
                            e -> assertThat(e.reason()).isEqualTo(CarFormatException.Reason.TRUNCATED));
        }
    }

    /** The records of a repository whose records all decode. */
    @FunctionalInterface
    interface Records {
        void record(String rev, String collection, String rkey, Cid cid, String json);
    }

    private RepoExtractor.Summary extract(String did, byte[] car, long budget, Records records) throws IOException {
        try (BlockStore store = new BlockStore(new MemoryBudget(budget), dir)) {
            RepoExtractor.Loaded loaded = RepoExtractor.load(new ByteArrayInputStream(car), Limits.DEFAULT, store);
            return RepoExtractor.walk(loaded, store, did, new RecordDecoder(512, Long.MAX_VALUE), new RepoExtractor.Emitter() {
                @Override
                public void record(String rev, String collection, String rkey, Cid cid, String json, byte[] cbor) {
                    records.record(rev, collection, rkey, cid, json);
                }

                @Override
                public void rejected(String collection, String rkey, Cid cid, RecordDecoder.Rejected why) {
                    throw new AssertionError("record " + collection + "/" + rkey + " rejected", why);
                }
            });
        }
    }

    private static byte[] car(String did) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        simulator.writeRepo(did, out);
        return out.toByteArray();
    }
}
