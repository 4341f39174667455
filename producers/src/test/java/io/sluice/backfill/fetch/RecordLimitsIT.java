package io.sluice.backfill.fetch;

import com.sun.net.httpserver.HttpServer;
import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.repo.RepoBuilder;
import io.sluice.backfill.atproto.testing.HostileCars;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetcher's per-record limits against the real broker and registry: a record over the max depth, one
 * over the max record bytes, and a CAR that lists one record under many keys (far more JSON than CAR
 * bytes) each give a dead letter naming the record and its reason, the rest of the repository produced,
 * and a DidStatus PARTIAL whose records and dead_lettered add up to the tree's entries. A CAR of more
 * blocks than --max-car-blocks is refused whole: one dead letter and a FAILED status naming maxBlocks.
 */
@WithSluiceStack
class RecordLimitsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String DEEP = "did:plc:deepdeepdeepdeepdeepdeep";
    private static final String LARGE = "did:plc:largelargelargelargelar";
    private static final String SHARED = "did:plc:sharedsharedsharedshare";
    private static final String MANY = HostileCars.DID;
    private static final int SHARED_KEYS = 300;
    private static final int MAX_BLOCKS = 1000;

    @TempDir
    Path spill;

    @Test
    void eachLimitDeadLettersTheRecordAndTheRepositoryEndsPartial(TestStack stack) throws Exception {
        Map<String, byte[]> deep = good(10);
        Object nested = "leaf";
        for (int i = 0; i < 139; i++) nested = Map.of("a", nested);
        deep.put("test.deep/deep", DagCborEncoder.encodeValue(Map.of("a", nested)));
        Map<String, byte[]> large = good(10);
        large.put("app.bsky.feed.post/large", DagCborEncoder.encodeValue(Map.of("text", "x".repeat(4000))));
        // one 1 KB record under 300 keys: the CAR holds it once, the JSON would hold it 300 times
        byte[] shared = DagCborEncoder.encodeValue(Map.of("text", "y".repeat(1000)));
        Map<String, byte[]> sharedRecords = new TreeMap<>();
        for (int i = 0; i < SHARED_KEYS; i++) sharedRecords.put("app.bsky.feed.post/s" + (1000 + i), shared);
        Path many = spill.resolve("many-blocks.car");
        HostileCars.manyBlocks(many, MAX_BLOCKS + 500, 3);
        Map<String, byte[]> cars = Map.of(DEEP, car(DEEP, deep), LARGE, car(LARGE, large), SHARED, car(SHARED, sharedRecords),
                MANY, Files.readAllBytes(many));

        HttpServer pds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pds.createContext("/xrpc/com.atproto.sync.getRepo", exchange -> {
            byte[] body = cars.get(URLDecoder.decode(exchange.getRequestURI().getQuery().replaceFirst("^did=", ""),
                    StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) exchange.getResponseBody().write(body);
            exchange.close();
        });
        pds.start();
        String endpoint = "http://127.0.0.1:" + pds.getAddress().getPort();
        try (FetchTopics topics = new FetchTopics(stack)) {
            Instant now = Instant.now();
            topics.sendTasks(List.of(DEEP, LARGE, SHARED, MANY).stream().map(did -> FetchTopics.task(did, endpoint, "127.0.0.1", 1,
                    now, now.plusSeconds(600))).toList());
            FetcherConfig config = topics.config().spillDir(spill).maxRecordDepth(128).maxRecordBytes(2048)
                    .maxJsonPerCarByte(5)
                    .limits(new Limits(Limits.DEFAULT.maxBlockBytes(), Limits.DEFAULT.maxTotalBytes(), MAX_BLOCKS)).build();
            try (FetcherApp app = FetcherApp.start(config)) {
                Map<String, DidStatus> byDid = new HashMap<>();
                FetcherIT.outcomes(topics.readUntil(topics.names.status(), topics.topics.backfillStatus().valueSerde().deserializer(),
                        TIMEOUT, l -> FetcherIT.outcomes(l).size() >= 4)).forEach(r -> byDid.put(r.key(), r.value()));
                assertThat(app.failure()).isEmpty();
                List<ConsumerRecord<String, byte[]>> dead = topics.readUntil(topics.names.dlq(), new ByteArrayDeserializer(),
                        Duration.ofSeconds(30), l -> l.size() >= 4);
                Map<String, Long> produced = new HashMap<>();
                topics.readUntil(topics.names.records(), topics.topics.backfillRecords().valueSerde().deserializer(),
                        Duration.ofSeconds(10), l -> false).forEach(r -> produced.merge(r.key(), 1L, Long::sum));

                for (String did : List.of(DEEP, LARGE, SHARED)) {
                    assertThat(byDid.get(did).getState()).as(did).isEqualTo(DidState.PARTIAL);
                }
                assertThat(byDid.get(MANY).getState()).isEqualTo(DidState.FAILED);
                assertThat(byDid.get(MANY).getLastError()).startsWith("limit-exceeded: ")
                        .contains("more blocks than the limit maxBlocks=" + MAX_BLOCKS);
                assertStatus(byDid.get(DEEP), 10, 1, "record-too-deep: record test.deep/deep (");
                assertStatus(byDid.get(LARGE), 10, 1, "record-too-large: record app.bsky.feed.post/large (");
                DidStatus sharedStatus = byDid.get(SHARED);
                assertThat(sharedStatus.getRecords() + sharedStatus.getDeadLettered()).isEqualTo(SHARED_KEYS);
                assertThat(sharedStatus.getDeadLettered()).isGreaterThan(1);
                assertThat(sharedStatus.getLastError()).startsWith("extraction-limit: ")
                        .endsWith("; " + (sharedStatus.getDeadLettered() - 1) + " further records were not extracted");
                for (String did : List.of(DEEP, LARGE, SHARED)) {
                    assertThat(produced.getOrDefault(did, 0L)).as(did).isEqualTo(byDid.get(did).getRecords());
                }
                FetcherStats.Snapshot stats = app.stats().snapshot();
                assertThat(stats.partial()).isEqualTo(3);
                assertThat(stats.done()).isZero();
                assertThat(stats.failed()).isEqualTo(1);
                assertThat(stats.recordsDeadLettered()).isEqualTo(2 + sharedStatus.getDeadLettered());

                assertThat(dead).hasSize(4);
                Map<String, String> reasons = new HashMap<>();
                Set<String> named = new HashSet<>();
                for (ConsumerRecord<String, byte[]> letter : dead) {
                    reasons.put(letter.key(), header(letter, DeadLetter.REASON));
                    if (letter.key().equals(MANY)) continue; // the whole repository: no record to name
                    named.add(header(letter, DeadLetter.PREFIX + "collection") + "/" + header(letter, DeadLetter.PREFIX + "rkey"));
                    assertThat(header(letter, DeadLetter.PREFIX + "cid")).startsWith("bafyrei");
                    FetchTask task = topics.topics.backfillFetch().valueSerde().deserializer().deserialize(topics.names.fetch(),
                            letter.value());
                    assertThat(task.getDid()).as("the value is the task, for a replay").isEqualTo(letter.key());
                }
                assertThat(reasons).containsEntry(DEEP, "record-too-deep").containsEntry(LARGE, "record-too-large")
                        .containsEntry(SHARED, "extraction-limit").containsEntry(MANY, "limit-exceeded");
                assertThat(named).contains("test.deep/deep", "app.bsky.feed.post/large");
            }
        } finally {
            pds.stop(0);
        }
    }

    private static void assertStatus(DidStatus status, long records, long deadLettered, String error) {
        assertThat(status.getRecords()).as(status.getDid()).isEqualTo(records);
        assertThat(status.getDeadLettered()).as(status.getDid()).isEqualTo(deadLettered);
        assertThat(status.getLastError()).as(status.getDid()).startsWith(error);
    }

    private static Map<String, byte[]> good(int n) {
        Map<String, byte[]> records = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> post = new LinkedHashMap<>();
            post.put("$type", "app.bsky.feed.post");
            post.put("text", "post " + i);
            records.put("app.bsky.feed.post/r" + (100 + i), DagCborEncoder.encodeValue(post));
        }
        return records;
    }

    /** A repository CAR of these record blocks, each distinct block once (as a PDS writes a shared one). */
    private static byte[] car(String did, Map<String, byte[]> records) throws IOException {
        ByteArrayOutputStream blocks = new ByteArrayOutputStream();
        CarWriter writer = new CarWriter(blocks);
        Set<Cid> written = new HashSet<>();
        RepoBuilder builder = new RepoBuilder((cid, data, off, len) -> {
            if (written.add(cid)) writer.block(cid, data, off, len);
        });
        for (Map.Entry<String, byte[]> e : new TreeMap<>(records).entrySet()) {
            int slash = e.getKey().indexOf('/');
            builder.add(e.getKey().substring(0, slash), e.getKey().substring(slash + 1), e.getValue(), 0, e.getValue().length);
        }
        byte[] commit = RepoBuilder.commitBytes(did, builder.finish(), "3kaaaaaaaaaa2", new byte[64]);
        Cid commitCid = Cid.of(Cid.DAG_CBOR, commit);
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        new CarWriter(car).header(List.of(commitCid)).block(commitCid, commit);
        blocks.writeTo(car);
        return car.toByteArray();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
