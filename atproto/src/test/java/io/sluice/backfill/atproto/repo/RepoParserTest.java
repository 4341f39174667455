package io.sluice.backfill.atproto.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.backfill.atproto.car.CarFormatException;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.AtprotoJson;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstKeys;
import io.sluice.backfill.atproto.testing.Fixtures;
import io.sluice.backfill.atproto.testing.HostileCars;
import io.sluice.backfill.atproto.testing.IndependentRepo;
import io.sluice.backfill.atproto.testing.Cars;
import io.sluice.backfill.atproto.testing.RawCar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RepoParserTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final HexFormat HEX = HexFormat.of();

    static List<Path> carFiles() {
        return Fixtures.carFiles();
    }

    /**
     * The parser's records must equal an expectation built without production code
     * ({@link IndependentRepo}: own CAR splitter, own digest check, Jackson's CBOR decoder).
     *
     * <p>Why not simply "every block with a {@code $type} is a record"? Because a CAR may carry
     * more than the current tree: fakermaker.repo.car holds the repository's history (143 commit
     * blocks and the MST nodes of every earlier revision: 690 blocks for 142 records). Nothing was
     * deleted in that history, so its {@code $type} blocks happen to equal its records, but a
     * history CAR can hold records deleted since, and any block can carry a {@code $type} field
     * without being in the tree. What a repository contains is defined by its signed commit: the
     * entries of the MST under the commit's {@code data} link. So the expectation follows those
     * links (breadth-first, not in order) and rebuilds keys node by node; it then checks, as
     * cross-checks that need no tree logic at all, that the records found are {@code $type} blocks
     * whose {@code $type} is their collection, and that when the CAR holds a single commit the
     * {@code $type} blocks are exactly the records. Against that the parser must produce the same
     * (key, CID, content) entries, in strictly sorted key order, and the same counts.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("carFiles")
    void recordsMatchTheIndependentExpectation(Path file) throws IOException {
        byte[] car = Files.readAllBytes(file);
        IndependentRepo expected = new IndependentRepo(car);
        List<RepoRecord> records = new ArrayList<>();

        RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(car), Limits.DEFAULT, records::add);

        List<IndependentRepo.Entry> present = expected.entries.stream().filter(e -> e.record() != null)
                .sorted(Comparator.comparing(IndependentRepo.Entry::key)).toList();
        assertThat(records).extracting(r -> r.collection() + "/" + r.rkey())
                .containsExactlyElementsOf(present.stream().map(IndependentRepo.Entry::key).toList())
                .isSorted();
        for (int i = 0; i < records.size(); i++) {
            RepoRecord record = records.get(i);
            IndependentRepo.Entry entry = present.get(i);
            assertThat(HEX.formatHex(record.cid().toBytes())).isEqualTo(entry.cidHex());
            assertThat(record.did()).isEqualTo(expected.did);
            assertThat(asCborTree(JSON.readTree(record.json()))).as(record.uri()).isEqualTo(entry.record());
            assertThat(entry.record().path("$type").asText()).isEqualTo(record.collection());
        }
        assertThat(present).allSatisfy(e -> assertThat(expected.typedBlocks).contains(e.cidHex()));
        if (expected.commitBlocks == 1 && expected.missing == 0) {
            assertThat(expected.typedBlocks).containsExactlyInAnyOrderElementsOf(
                    present.stream().map(IndependentRepo.Entry::cidHex).distinct().toList());
        }

        Map<String, Long> collections = present.stream()
                .collect(Collectors.groupingBy(IndependentRepo.Entry::collection, TreeMap::new, Collectors.counting()));
        assertThat(summary.did()).isEqualTo(expected.did);
        assertThat(summary.rev()).isEqualTo(expected.rev.isTextual() ? expected.rev.asText() : null);
        assertThat(summary.blocks()).isEqualTo(expected.sections);
        assertThat(summary.records()).isEqualTo(present.size());
        assertThat(summary.collections()).isEqualTo(collections);
        assertThat(summary.badCids()).isEqualTo(expected.badDigests).isZero();
        assertThat(summary.missingBlocks()).isEqualTo(expected.missing);
        assertThat(summary.bytes()).isEqualTo(car.length);
    }

    @Test
    void theSummaryNamesAtMostAThousandCollectionsAndCountsTheRestTogether() throws IOException {
        Map<String, Object> records = new TreeMap<>();
        int collections = RepoParser.MAX_COLLECTIONS + 5;
        for (int i = 0; i < collections; i++) {
            records.put(String.format("com.example.c%05d/3kabcdefghij2", i), Map.of("n", (long) i));
        }
        byte[] car = RepoBuilder.car("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "3kabcdefghij2", records);

        RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(car), Limits.DEFAULT, RecordSink.NONE);

        assertThat(summary.records()).isEqualTo(collections);
        assertThat(summary.collections()).hasSize(RepoParser.MAX_COLLECTIONS + 1)
                .containsEntry(RepoParser.OTHER_COLLECTIONS, 5L);
    }

    @Test
    void keysThatNameOneBlockInARowEachGetItsRecord() throws IOException {
        Path file = Files.createTempFile("amplifying", ".car");
        try {
            HostileCars.amplifying(file, 50, 1000);
            List<RepoRecord> records = new ArrayList<>();
            RepoSummary summary;
            try (var in = Files.newInputStream(file)) {
                summary = RepoParser.parse(in, Limits.DEFAULT, records::add);
            }
            assertThat(summary.records()).isEqualTo(50);
            assertThat(records).extracting(RepoRecord::rkey).doesNotHaveDuplicates();
            assertThat(records).extracting(RepoRecord::json).containsOnly(records.getFirst().json());
            assertThat(records.getFirst().json()).contains("\"text\":\"" + "x".repeat(1000) + "\"");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void parsesAGeneratedRepositoryWithADeepTree() throws IOException {
        String[] collections = {"app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.graph.follow"};
        Map<String, Object> values = new HashMap<>();
        Cid blob = Cid.of(Cid.RAW, new byte[] {7});
        for (int i = 0; i < 3000; i++) {
            String collection = collections[i % 3];
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("$type", collection);
            record.put("text", "record " + i + " é🌍");
            record.put("createdAt", "2024-01-01T00:00:00.000Z");
            record.put("n", (long) i - 1500);
            record.put("embed", Map.of("ref", blob, "bytes", new byte[] {(byte) i}));
            values.put(collection + "/3k" + String.format("%011d", i * 7919L % 100_000_000_000L), record);
        }
        byte[] car = RepoBuilder.car("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "3kabcdefghij2", values);
        assertThat(values.keySet().stream().mapToInt(MstKeys::height).max().orElseThrow())
                .as("tree has several layers").isGreaterThanOrEqualTo(4);

        List<RepoRecord> records = new ArrayList<>();
        RepoSummary summary = parse(car, records::add);

        assertThat(records).extracting(r -> r.collection() + "/" + r.rkey())
                .containsExactlyElementsOf(new TreeMap<>(values).keySet());
        for (RepoRecord record : records) {
            assertThat(JSON.readTree(record.json())).isEqualTo(AtprotoJson.toJsonNode(values.get(record.collection() + "/" + record.rkey())));
        }
        assertThat(summary.records()).isEqualTo(3000);
        assertThat(summary.collections()).containsOnly(
                Map.entry("app.bsky.feed.like", 1000L), Map.entry("app.bsky.feed.post", 1000L), Map.entry("app.bsky.graph.follow", 1000L));
        assertThat(summary.missingBlocks()).isZero();
        assertThat(summary.rev()).isEqualTo("3kabcdefghij2");
        assertThat(new IndependentRepo(car).entries).hasSize(3000);
    }

    @Test
    void wholeRepositoriesAreComplete() throws IOException {
        for (String name : List.of("greenground.repo.car", "fakermaker.repo.car",
                "bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car")) {
            RepoSummary summary = parse(Fixtures.bytes("car/" + name), RecordSink.NONE);
            assertThat(summary.missingBlocks()).as(name).isZero();
            assertThat(summary.records()).as(name).isPositive();
        }
        RepoSummary slice = parse(Fixtures.bytes("car/repo_slice.car"), RecordSink.NONE);
        assertThat(slice.missingBlocks()).as("repo_slice.car is partial").isPositive();
    }

    @Test
    void blockOrderDoesNotMatter() throws IOException {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        RawCar.Car raw = RawCar.parse(car);
        List<byte[][]> reversed = new ArrayList<>();
        for (RawCar.Section s : raw.sections().reversed()) {
            reversed.add(new byte[][] {s.cid(), s.data()});
        }
        List<RepoRecord> inOrder = new ArrayList<>();
        List<RepoRecord> shuffled = new ArrayList<>();
        parse(car, inOrder::add);
        parse(Cars.write(raw.header(), reversed), shuffled::add);
        assertThat(shuffled).isEqualTo(inOrder);
    }

    @Test
    void aCorruptedRecordIsCountedAsBadAndMissing() throws IOException {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        List<RepoRecord> before = new ArrayList<>();
        RepoSummary intact = parse(car, before::add);
        RawCar.Section victim = section(car, before.get(0).cid());
        car[(int) victim.dataOffset() + 10] ^= 0x20;

        List<RepoRecord> after = new ArrayList<>();
        RepoSummary summary = parse(car, after::add);

        assertThat(summary.badCids()).isEqualTo(1);
        assertThat(summary.missingBlocks()).isEqualTo(1);
        assertThat(summary.records()).isEqualTo(intact.records() - 1);
        assertThat(after).isEqualTo(before.subList(1, before.size()));
    }

    @Test
    void aCorruptedMstNodeLosesItsSubtreeNotTheParse() throws IOException {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        JsonNode commit = IndependentRepo.decode(section(car, rootOf(car)).data());
        Cid data = Cid.decode(java.util.Arrays.copyOfRange(commit.get("data").binaryValue(), 1, 37));
        car[(int) section(car, data).dataOffset() + 3] ^= 0x01;

        RepoSummary summary = parse(car, RecordSink.NONE);

        assertThat(summary.badCids()).isEqualTo(1);
        assertThat(summary.records()).isZero();
        assertThat(summary.missingBlocks()).isEqualTo(1);
    }

    @Test
    void aMissingCommitIsNotARepository() {
        byte[] car = Fixtures.bytes("car/greenground.repo.car");
        car[(int) section(car, rootOf(car)).dataOffset()] ^= 0x01;
        assertThatThrownBy(() -> parse(car, RecordSink.NONE)).isInstanceOf(RepoFormatException.class)
                .hasMessageContaining("commit block " + rootOf(car) + " (the CAR root) is not in the CAR or is corrupt");
    }

    @Test
    void truncationAndLimitsSurfaceAsCarFormatExceptions() {
        byte[] car = Fixtures.bytes("car/fakermaker.repo.car");
        byte[] cut = java.util.Arrays.copyOf(car, 100_000);
        assertThatThrownBy(() -> parse(cut, RecordSink.NONE)).isInstanceOfSatisfying(CarFormatException.class,
                e -> assertThat(e.reason()).isEqualTo(CarFormatException.Reason.TRUNCATED))
                .hasMessageContaining("CAR truncated at byte offset 100000");
        assertThatThrownBy(() -> RepoParser.parse(new ByteArrayInputStream(car), new Limits(1024, 100_000), RecordSink.NONE))
                .isInstanceOfSatisfying(CarFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(CarFormatException.Reason.LIMIT_EXCEEDED))
                .hasMessageContaining("maxTotalBytes=100000");
    }

    @Test
    void aCarWithoutRootsIsNotARepository() {
        byte[] car = Cars.write(io.sluice.backfill.atproto.cbor.DagCborEncoder.encodeValue(
                Map.of("version", 1L, "roots", List.of())), List.of());
        assertThatThrownBy(() -> parse(car, RecordSink.NONE)).isInstanceOf(RepoFormatException.class)
                .hasMessageContaining("CAR has no root");
    }

    /** The parser's JSON turned back into the shape Jackson's CBOR decoder gives: links and bytes as binary. */
    private static JsonNode asCborTree(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$link")) {
                byte[] cid = Cid.parse(node.get("$link").asText()).toBytes();
                byte[] withPrefix = new byte[cid.length + 1];
                System.arraycopy(cid, 0, withPrefix, 1, cid.length);
                return BinaryNode.valueOf(withPrefix);
            }
            if (node.size() == 1 && node.has("$bytes")) {
                return BinaryNode.valueOf(Base64.getDecoder().decode(node.get("$bytes").asText()));
            }
            ObjectNode out = JSON.createObjectNode();
            node.properties().forEach(e -> out.set(e.getKey(), asCborTree(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            var out = JSON.createArrayNode();
            node.forEach(item -> out.add(asCborTree(item)));
            return out;
        }
        return node;
    }

    private static RepoSummary parse(byte[] car, RecordSink sink) throws IOException {
        return RepoParser.parse(new ByteArrayInputStream(car), Limits.DEFAULT, sink);
    }

    private static Cid rootOf(byte[] car) {
        JsonNode header = IndependentRepo.decode(RawCar.parse(car).header());
        try {
            byte[] link = header.get("roots").get(0).binaryValue();
            return Cid.decode(java.util.Arrays.copyOfRange(link, 1, link.length));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RawCar.Section section(byte[] car, Cid cid) {
        return RawCar.parse(car).sections().stream()
                .filter(s -> java.util.Arrays.equals(s.cid(), cid.toBytes())).findFirst().orElseThrow();
    }
}
