package io.sluice.backfill.atproto.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.car.CarFormatException.Reason;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.store.BlockStore;
import io.sluice.backfill.atproto.store.MemoryBudget;
import io.sluice.backfill.atproto.testing.Fixtures;
import io.sluice.backfill.atproto.testing.Cars;
import io.sluice.backfill.atproto.testing.RawCar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CarReaderTest {

    private static final HexFormat HEX = HexFormat.of();

    static List<Path> carFiles() {
        return Fixtures.carFiles();
    }

    /** Block by block, the reader must agree with the independent test reader, and every fixture block must verify. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("carFiles")
    void readsEveryBlockLikeTheIndependentReader(Path file) throws IOException {
        byte[] car = Files.readAllBytes(file);
        RawCar.Car expected = RawCar.parse(car);

        List<CarBlock> blocks = new ArrayList<>();
        CarReader reader = new CarReader(new ByteArrayInputStream(car), Limits.DEFAULT);
        for (CarBlock b = reader.next(); b != null; b = reader.next()) {
            blocks.add(b);
        }

        assertThat(blocks).hasSameSizeAs(expected.sections());
        for (int i = 0; i < blocks.size(); i++) {
            RawCar.Section s = expected.sections().get(i);
            assertThat(blocks.get(i).cid().toBytes()).isEqualTo(s.cid());
            assertThat(blocks.get(i).data()).isEqualTo(s.data());
            assertThat(blocks.get(i).offset()).isEqualTo(s.offset());
            assertThat(blocks.get(i).verified()).isEqualTo(s.digestMatches()).isTrue();
        }
        assertThat(reader.blocks()).isEqualTo(blocks.size());
        assertThat(reader.badCids()).isZero();
        assertThat(reader.bytesRead()).isEqualTo(car.length);
        assertThat(reader.roots()).hasSize(1);

        Set<String> distinct = expected.sections().stream().map(s -> HEX.formatHex(s.cid())).collect(Collectors.toSet());
        try (BlockStore store = store(car)) {
            assertThat(store.blocks()).isEqualTo(distinct.size());
        }
    }

    @Test
    void everyTruncationIsReportedWithItsOffset() throws IOException {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        RawCar.Car raw = RawCar.parse(car);
        Set<Long> sectionBoundaries = raw.sections().stream().map(RawCar.Section::offset).collect(Collectors.toSet());
        for (int cut = 0; cut < car.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(car, cut);
            if (sectionBoundaries.contains((long) cut)) {
                // CARv1 has no trailer: a cut between sections is indistinguishable from a shorter
                // CAR. The repository walk then reports the lost blocks as missing.
                assertThat(readAll(prefix)).hasSizeLessThan(raw.sections().size());
                continue;
            }
            int at = cut;
            assertThatThrownBy(() -> readAll(prefix)).as("cut at %d", cut)
                    .isInstanceOfSatisfying(CarFormatException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                        assertThat(e.offset()).isEqualTo(at);
                    })
                    .hasMessageContaining("CAR truncated at byte offset " + at);
        }
    }

    @Test
    void truncatedBlockDataNamesTheBlock() {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        RawCar.Section second = RawCar.parse(car).sections().get(1);
        byte[] prefix = java.util.Arrays.copyOf(car, (int) second.dataOffset() + 3);
        assertThatThrownBy(() -> readAll(prefix))
                .hasMessageContaining("byte offset " + prefix.length)
                .hasMessageContaining("short while reading the data of block 1");
    }

    @Test
    void aCorruptedBlockIsCountedNotFatal() throws IOException {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        RawCar.Section victim = RawCar.parse(car).sections().get(2);
        car[(int) victim.dataOffset() + 5] ^= 0x01;

        CarReader reader = new CarReader(new ByteArrayInputStream(car), Limits.DEFAULT);
        List<CarBlock> blocks = new ArrayList<>();
        for (CarBlock b = reader.next(); b != null; b = reader.next()) {
            blocks.add(b);
        }
        assertThat(blocks).extracting(CarBlock::verified).containsExactly(true, true, false, true);
        assertThat(reader.badCids()).isEqualTo(1);

        try (BlockStore store = store(car)) {
            assertThat(store.get(blocks.get(2).cid())).as("corrupt block dropped").isNull();
            assertThat(store.get(blocks.get(1).cid())).isNotNull();
        }
    }

    @Test
    void aBlockOverTheBlockLimitIsRejectedBeforeItIsRead() throws IOException {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        int largest = RawCar.parse(car).sections().stream().mapToInt(s -> s.data().length).max().orElseThrow();
        Limits tight = new Limits(largest - 1, Long.MAX_VALUE);
        assertThatThrownBy(() -> readAll(car, tight))
                .isInstanceOfSatisfying(CarFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
                .hasMessageContaining("is " + largest + " bytes, over the limit maxBlockBytes=" + (largest - 1));
        assertThat(readAll(car, new Limits(largest, Long.MAX_VALUE))).isNotEmpty();
    }

    @Test
    void aCarOverTheBlockCountLimitIsRejectedNamingIt() throws IOException {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        int count = RawCar.parse(car).sections().size();
        int maxBlockBytes = Limits.DEFAULT.maxBlockBytes();
        assertThatThrownBy(() -> readAll(car, new Limits(maxBlockBytes, Long.MAX_VALUE, count - 1)))
                .isInstanceOfSatisfying(CarFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
                .hasMessageContaining("more blocks than the limit maxBlocks=" + (count - 1));
        assertThat(readAll(car, new Limits(maxBlockBytes, Long.MAX_VALUE, count))).hasSize(count);
        assertThat(Limits.DEFAULT.maxBlocks()).as("the default leaves the decision to the size limit")
                .isGreaterThan(Limits.DEFAULT.maxTotalBytes() / 38);
    }

    @Test
    void aCarOverTheTotalLimitIsRejected() throws IOException {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        assertThatThrownBy(() -> readAll(car, new Limits(64 * 1024, car.length - 1)))
                .isInstanceOfSatisfying(CarFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
                .hasMessageContaining("larger than the limit maxTotalBytes=" + (car.length - 1));
        assertThat(readAll(car, new Limits(64 * 1024, car.length))).isNotEmpty();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new Limits(0, 10)).hasMessageContaining("maxBlockBytes must be positive");
        assertThatThrownBy(() -> new Limits(10, 5)).hasMessageContaining("must be at least maxBlockBytes");
    }

    @Test
    void rejectsHeadersThatAreNotCarV1() {
        assertThat(headerError(Map.of("version", 2L, "roots", List.of()))).contains("unsupported CAR version 2");
        assertThat(headerError(Map.of("version", 1L))).contains("no 'roots' array");
        assertThat(headerError(Map.of("version", 1L, "roots", List.of("x")))).contains("is not a CID link");
        assertThat(headerError(List.of(1L))).contains("not a DAG-CBOR map");
        assertThatThrownBy(() -> readAll(new byte[] {0})).hasMessageContaining("header length 0");
        assertThatThrownBy(() -> readAll(new byte[0])).hasMessageContaining("CAR truncated at byte offset 0");
    }

    @Test
    void rejectsMalformedSections() {
        byte[] header = DagCborEncoder.encodeValue(Map.of("version", 1L, "roots", List.of()));
        byte[] badVersion = Cars.write(header, List.<byte[][]>of(new byte[][] {{2, 0x71, 0x12, 0}, {}}));
        assertThatThrownBy(() -> readAll(badVersion)).hasMessageContaining("the CID of block 0 has unsupported version 2");

        Cid cid = Cid.of(Cid.DAG_CBOR, new byte[] {1});
        byte[] tooShort = Cars.write(header, List.<byte[][]>of(new byte[][] {cid.toBytes(), {1}}));
        tooShort[header.length + 1] = 10; // section length smaller than the CID
        assertThatThrownBy(() -> readAll(tooShort)).isInstanceOf(CarFormatException.class)
                .hasMessageContaining("fewer than its 36-byte CID");

        byte[] longVarint = Cars.write(header, List.of());
        byte[] withVarint = java.util.Arrays.copyOf(longVarint, longVarint.length + 10);
        java.util.Arrays.fill(withVarint, longVarint.length, withVarint.length, (byte) 0xff);
        assertThatThrownBy(() -> readAll(withVarint)).hasMessageContaining("varint longer than 9 bytes");
    }

    @Test
    void readsFromAStreamThatReturnsOneByteAtATime() throws IOException {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        InputStream trickle = new ByteArrayInputStream(car) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        CarReader reader = new CarReader(trickle, Limits.DEFAULT);
        while (reader.next() != null) {
            // drain
        }
        assertThat(reader.blocks()).isEqualTo(RawCar.parse(car).sections().size());
        assertThat(reader.badCids()).isZero();
    }

    private static String headerError(Object header) {
        byte[] car = Cars.write(DagCborEncoder.encodeValue(header), List.of());
        try {
            readAll(car);
            throw new AssertionError("expected the header to be rejected");
        } catch (CarFormatException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<CarBlock> readAll(byte[] car) throws IOException {
        return readAll(car, Limits.DEFAULT);
    }

    private static List<CarBlock> readAll(byte[] car, Limits limits) throws IOException {
        CarReader reader = new CarReader(new ByteArrayInputStream(car), limits);
        List<CarBlock> blocks = new ArrayList<>();
        for (CarBlock b = reader.next(); b != null; b = reader.next()) {
            blocks.add(b);
        }
        return blocks;
    }

    /** The verified blocks of {@code car} in a store, as the repository parser keeps them. */
    private static BlockStore store(byte[] car) throws IOException {
        BlockStore store = new BlockStore(new MemoryBudget(1 << 20), Path.of(System.getProperty("java.io.tmpdir")));
        CarReader reader = new CarReader(new ByteArrayInputStream(car), Limits.DEFAULT);
        for (CarBlock b = reader.next(); b != null; b = reader.next()) {
            if (b.verified()) store.put(b.cid(), b.data());
        }
        return store;
    }
}
