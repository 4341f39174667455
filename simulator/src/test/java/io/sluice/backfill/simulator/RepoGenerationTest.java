package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.repo.RecordSink;
import io.sluice.backfill.atproto.repo.RepoParser;
import io.sluice.backfill.atproto.repo.RepoRecord;
import io.sluice.backfill.atproto.repo.RepoSummary;
import io.sluice.backfill.atproto.syntax.DidSyntax;
import io.sluice.backfill.atproto.syntax.TidSyntax;
import io.sluice.backfill.atproto.testing.IndependentRepo;
import io.sluice.backfill.atproto.testing.RawCar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Generation without the server: content, canonical encoding, determinism, the streamed big repository. */
class RepoGenerationTest {

    private static final PdsSimulatorConfig CONFIG = PdsSimulatorConfig.builder().hosts(3).dids(40).seed(7)
            .records(RecordCounts.uniform(0, 400)).build();
    private static final Population POPULATION = new Population(CONFIG);

    @Test
    void recordsAreCanonicalRealisticAndMatchTheExpectation() throws IOException {
        RepoGenerator generator = new RepoGenerator(CONFIG.seed(), POPULATION);
        RepoGenerator.Generated repo = generator.inMemory(5, 300, true);
        List<RepoRecord> records = new ArrayList<>();
        RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(repo.car()), Limits.DEFAULT, records::add);

        assertThat(summary.badCids()).isZero();
        assertThat(summary.missingBlocks()).isZero();
        assertThat(summary.records()).isEqualTo(300).isEqualTo(repo.expected().records());
        assertThat(summary.collections()).isEqualTo(repo.expected().collections());
        assertThat(summary.collections()).containsOnlyKeys(RecordShapes.COLLECTIONS);
        assertThat(summary.root()).isEqualTo(repo.expected().commit());
        assertThat(summary.rev()).isEqualTo(repo.expected().rev()).satisfies(rev -> assertThat(TidSyntax.isValid(rev)).isTrue());
        assertThat(summary.bytes()).isEqualTo(repo.car().length).isEqualTo(repo.expected().carBytes());
        RecordChecksum checksum = new RecordChecksum();
        records.forEach(r -> checksum.add(r.did(), r.collection(), r.rkey(), r.cid()));
        assertThat(checksum.hex()).isEqualTo(repo.expected().checksum());

        for (RawCar.Section block : RawCar.parse(repo.car()).sections()) {
            assertThat(block.digestMatches()).isTrue();
            assertThat(DagCborEncoder.encodeValue(DagCborDecoder.decode(block.data()))).as("canonical DAG-CBOR")
                    .isEqualTo(block.data());
        }
        assertThat(new IndependentRepo(repo.car()).entries).hasSize(300);
        for (RepoRecord r : records) {
            assertThat(r.json()).contains("\"$type\":\"" + r.collection() + "\"").contains("\"createdAt\":\"");
            assertThat(r.rkey().equals("self") || TidSyntax.isValid(r.rkey())).as(r.rkey()).isTrue();
        }
        assertThat(records).filteredOn(r -> r.collection().equals(RecordShapes.PROFILE)).singleElement()
                .satisfies(p -> assertThat(p.rkey()).isEqualTo("self"));
        assertThat(records).filteredOn(r -> r.collection().equals(RecordShapes.LIKE)).first()
                .satisfies(like -> assertThat(like.json()).contains("\"subject\":{\"cid\":\"bafyrei").contains("\"uri\":\"at://did:plc:"));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherRepository() {
        byte[] a = new RepoGenerator(7, POPULATION).inMemory(3, 120, true).car();
        byte[] b = new RepoGenerator(7, new Population(CONFIG)).inMemory(3, 120, true).car();
        byte[] c = new RepoGenerator(8, POPULATION).inMemory(3, 120, true).car();
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void emptyRepositoryIsValid() throws IOException {
        RepoGenerator.Generated repo = new RepoGenerator(7, POPULATION).inMemory(1, 0, true);
        RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(repo.car()), Limits.DEFAULT, RecordSink.NONE);
        assertThat(summary.records()).isZero();
        assertThat(summary.missingBlocks()).isZero();
        assertThat(repo.expected().checksum()).isEqualTo("0000000000000000");
    }

    @Test
    void didsAreValidDistinctPlcIdentifiers() {
        assertThat(POPULATION.dids()).doesNotHaveDuplicates().allSatisfy(did -> {
            assertThat(did).matches("did:plc:[a-z2-7]{24}");
            assertThat(DidSyntax.isValid(did)).isTrue();
        });
        assertThat(POPULATION.hostName(2)).isEqualTo("pds-02.sim.test");
        assertThat(POPULATION.handle(4)).isEqualTo("u4.pds-01.sim.test");
    }

    @Test
    void timestampsAndTidsMatchTheJdk() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            long micros = rng.nextLong(4_102_444_800_000_000L); // up to 2100
            Instant instant = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
            assertThat(Timestamps.iso(micros)).isEqualTo(java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC).format(instant));
            String tid = Timestamps.tid(micros, i & 1023);
            assertThat(TidSyntax.isValid(tid)).as(tid).isTrue();
            assertThat(Timestamps.tid(micros + 1, 0).compareTo(Timestamps.tid(micros, 1023))).isPositive();
        }
    }

    /** The big repository streams through a pipe into the parser: neither side holds a copy in a byte array. */
    @Test
    void bigRepositoryStreamsWithItsAnnouncedLength() throws Exception {
        PdsSimulatorConfig config = CONFIG.toBuilder().bigRepoBytes(6L * 1024 * 1024).build();
        RepoStore store = new RepoStore(config, new Population(config));
        RepoBody body = store.body(0);
        ExpectedRepo expected = store.expected(0);
        assertThat(body).isNotInstanceOf(RepoBody.InMemory.class);
        assertThat((double) body.length()).isCloseTo(6.0 * 1024 * 1024, org.assertj.core.data.Percentage.withPercentage(5));

        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (out) {
                body.writeTo(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        RecordChecksum checksum = new RecordChecksum();
        RepoSummary summary;
        try (InputStream stream = in) {
            summary = RepoParser.parse(stream, Limits.DEFAULT, r -> checksum.add(r.did(), r.collection(), r.rkey(), r.cid()));
        }
        writer.join();
        assertThat(summary.bytes()).isEqualTo(body.length());
        assertThat(summary.records()).isEqualTo(expected.records()).isGreaterThan(15_000);
        assertThat(summary.missingBlocks()).isZero();
        assertThat(summary.root()).isEqualTo(expected.commit());
        assertThat(checksum.hex()).isEqualTo(expected.checksum());
    }

    @Test
    void anEvictedRepositoryComesBackIdentical() throws IOException {
        RepoStore store = new RepoStore(CONFIG.toBuilder().cacheBytes(0).build(), POPULATION);
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
        store.body(9).writeTo(first);
        ExpectedRepo expected = store.expected(9);
        store.body(9).writeTo(second);
        assertThat(store.cachedBytes()).isZero();
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
        assertThat(store.expected(9)).isEqualTo(expected);
        assertThat(expected.carBytes()).isEqualTo(first.size());
    }

    /** Not a gate, a measurement: how fast one thread generates repositories on this machine. */
    @Test
    void measuresGenerationSpeed() {
        RepoGenerator generator = new RepoGenerator(CONFIG.seed(), POPULATION);
        generator.inMemory(0, 20_000, true); // warm up
        for (boolean withExpected : new boolean[] {true, false}) {
            long bytes = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                bytes += generator.inMemory(i, 2_000, withExpected).car().length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("simulator generation%s: %,.0f records/s, %.1f MB/s, %.0f bytes/record%n",
                    withExpected ? " with checksum" : "", 80_000 / seconds, bytes / seconds / 1e6, bytes / 80_000.0);
        }
    }
}
