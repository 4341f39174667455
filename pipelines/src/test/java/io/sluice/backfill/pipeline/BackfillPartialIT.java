package io.sluice.backfill.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.repo.RepoBuilder;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 end to end (fetcher → records sink → PostgreSQL): what backfill_dids says is what repo_records
 * holds. A repository with one undecodable record ends PARTIAL with the other records stored and the one
 * record dead-lettered alone, naming it; a clean one ends DONE; one holding a record 140 levels deep and
 * one with U+0000 in its text (both accepted by the reference PDS) ends DONE with both records readable;
 * and the simulator's ordinary DIDs, published through the whole pipeline in the same run, end DONE.
 * The three repositories are served by a small PDS of the test's own and fed straight to the fetch topic.
 */
@WithSluiceStack
class BackfillPartialIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillPartialIT.class);
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REV = "3kaaaaaaaaaa2";
    private static final String PARTIAL = "did:plc:partialpartialpartial2";
    private static final String CLEAN = "did:plc:cleancleancleancleanc";
    private static final String STRANGE = "did:plc:strangestrangestrange";
    private static final int GOOD = 20;
    private static final int ORDINARY_DIDS = 3;

    @TempDir
    Path stateDir;

    @Test
    void eachDidSaysExactlyWhatWasStored(TestStack stack) throws Exception {
        // an invalid UTF-8 text value: the CID is right (it hashes these bytes), the DAG-CBOR is not
        byte[] undecodable = HexFormat.of().parseHex("a1616162fffe");
        Map<String, byte[]> partial = goodRecords();
        partial.put("app.bsky.feed.post/zzbroken", undecodable);
        Object deep = "leaf";
        for (int i = 0; i < 139; i++) deep = Map.of("a", deep);
        Map<String, Object> deepRecord = Map.of("$type", "test.deep", "a", deep);
        Map<String, Object> nulRecord = Map.of("$type", "app.bsky.feed.post", "text", "before\u0000after",
                "createdAt", "2024-01-01T00:00:00.000Z");
        Map<String, byte[]> strange = goodRecords();
        strange.put("test.deep/deep", DagCborEncoder.encodeValue(deepRecord));
        strange.put("app.bsky.feed.post/zznul", DagCborEncoder.encodeValue(nulRecord));
        Map<String, byte[]> cars = Map.of(PARTIAL, car(PARTIAL, partial), CLEAN, car(CLEAN, goodRecords()),
                STRANGE, car(STRANGE, strange));

        HttpServer pds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pds.createContext("/xrpc/com.atproto.sync.getRepo", exchange -> {
            String did = exchange.getRequestURI().getQuery().replaceFirst("^did=", "");
            byte[] body = cars.get(java.net.URLDecoder.decode(did, StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.ipld.car");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) exchange.getResponseBody().write(body);
            exchange.close();
        });
        pds.start();
        String endpoint = "http://127.0.0.1:" + pds.getAddress().getPort();
        PdsSimulatorConfig sim = PdsSimulatorConfig.builder().hosts(1).dids(ORDINARY_DIDS).seed(5)
                .records(RecordCounts.uniform(5, 30)).build();
        long start = System.nanoTime();
        try (PdsSimulator simulator = PdsSimulator.start(sim)) {
            BackfillRun run = new BackfillRun(stack, simulator, "partial", RateLimitPolicy.parse("20/s"), stateDir, 1);
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(), run.config())) {
                run.publish();
                sendTasks(stack, run.config(), List.of(PARTIAL, CLEAN, STRANGE), endpoint);
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    pipeline.assertHealthy();
                    assertThat(run.count("SELECT count(*) FROM backfill_dids WHERE state IN ('DONE', 'PARTIAL')"))
                            .isEqualTo(ORDINARY_DIDS + 3);
                    // statuses and records are separate topics: wait for the records to catch up too
                    for (String did : allDids(simulator)) {
                        assertThat(storedCount(run, did)).as(did).isEqualTo(statusRecords(run, did));
                    }
                });
                assertThat(pipeline.sinkCounters().deadLettered()).as("records the sink dead-lettered").isZero();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            log.info("partial-status run took {} s", String.format("%.1f", seconds));
            assertThat(seconds).as("bounded time").isLessThan(WAIT.toSeconds());

            assertThat(row(run, PARTIAL)).isEqualTo("PARTIAL|" + GOOD + "|1");
            assertThat(lastError(run, PARTIAL)).startsWith("record-undecodable: record app.bsky.feed.post/zzbroken (");
            assertThat(row(run, CLEAN)).isEqualTo("DONE|" + GOOD + "|0");
            assertThat(row(run, STRANGE)).isEqualTo("DONE|" + (GOOD + 2) + "|0");
            for (String did : simulator.dids()) {
                assertThat(row(run, did)).as(did).isEqualTo("DONE|" + simulator.expected(did).records() + "|0");
            }
            for (String did : allDids(simulator)) {
                assertThat(storedCount(run, did)).as(did).isEqualTo(statusRecords(run, did));
            }

            // the 140-deep record and the U+0000 record read back as written
            assertThat(JSON.readValue(column(run, STRANGE, "deep", "record::text"), Object.class)).isEqualTo(deepRecord);
            assertThat(column(run, STRANGE, "deep", "record_json_escaped::text")).isEqualTo("false");
            assertThat(column(run, STRANGE, "zznul", "record_json_escaped::text")).isEqualTo("true");
            assertThat(column(run, STRANGE, "zznul", "record->>'text'")).isEqualTo("before\\u0000after");
            assertThat(DagCborDecoder.decode(HexFormat.of().parseHex(column(run, STRANGE, "zznul", "encode(record_cbor, 'hex')"))))
                    .isEqualTo(nulRecord);

            List<ConsumerRecord<byte[], byte[]>> dead = readDlq(stack, run.config().dlq());
            assertThat(dead).as("dead letters").hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = dead.getFirst();
            assertThat(header(letter, DeadLetter.STAGE)).isEqualTo("fetcher");
            assertThat(header(letter, DeadLetter.REASON)).isEqualTo("record-undecodable");
            assertThat(header(letter, DeadLetter.PREFIX + "collection")).isEqualTo("app.bsky.feed.post");
            assertThat(header(letter, DeadLetter.PREFIX + "rkey")).isEqualTo("zzbroken");
            assertThat(header(letter, DeadLetter.PREFIX + "cid")).isEqualTo(Cid.of(Cid.DAG_CBOR, undecodable).toString());
            assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo(run.config().fetch());
        } finally {
            pds.stop(0);
        }
    }

    private static Map<String, byte[]> goodRecords() {
        Map<String, byte[]> records = new TreeMap<>();
        for (int i = 0; i < GOOD; i++) {
            Map<String, Object> post = new LinkedHashMap<>();
            post.put("$type", "app.bsky.feed.post");
            post.put("text", "post " + i);
            post.put("createdAt", "2024-01-01T00:00:00.000Z");
            records.put("app.bsky.feed.post/r" + (100 + i), DagCborEncoder.encodeValue(post));
        }
        return records;
    }

    /** A repository CAR of exactly these record blocks, valid or not (RepoBuilder.car encodes values; these are bytes). */
    private static byte[] car(String did, Map<String, byte[]> records) throws IOException {
        ByteArrayOutputStream blocks = new ByteArrayOutputStream();
        RepoBuilder builder = new RepoBuilder(new CarWriter(blocks));
        for (Map.Entry<String, byte[]> e : new TreeMap<>(records).entrySet()) {
            int slash = e.getKey().indexOf('/');
            builder.add(e.getKey().substring(0, slash), e.getKey().substring(slash + 1), e.getValue(), 0, e.getValue().length);
        }
        byte[] commit = RepoBuilder.commitBytes(did, builder.finish(), REV, new byte[64]);
        Cid commitCid = Cid.of(Cid.DAG_CBOR, commit);
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        new CarWriter(car).header(List.of(commitCid)).block(commitCid, commit);
        blocks.writeTo(car);
        return car.toByteArray();
    }

    private static void sendTasks(TestStack stack, BackfillPipelineConfig config, List<String> dids, String endpoint)
            throws Exception {
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        Serializer<String> keys = serdes.stringKey().serializer();
        Serializer<FetchTask> values = serdes.specificValue(FetchTask.class).serializer();
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String did : dids) {
                FetchTask task = FetchTask.newBuilder().setDid(did).setPdsEndpoint(endpoint).setPdsHost("127.0.0.1")
                        .setRunId("partial-it").setAttempt(1).setReleasedAt(now).setNotAfter(now.plusSeconds(600)).build();
                producer.send(new ProducerRecord<>(config.fetch(), keys.serialize(config.fetch(), did),
                        values.serialize(config.fetch(), task))).get();
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDlq(TestStack stack, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, stack.unique("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            // the dead letter was sent before the status that is already in the table: a few polls find it
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                if (!out.isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) break;
            }
        }
        return out;
    }

    private static List<String> allDids(PdsSimulator simulator) {
        List<String> dids = new ArrayList<>(simulator.dids());
        dids.addAll(List.of(PARTIAL, CLEAN, STRANGE));
        return dids;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long storedCount(BackfillRun run, String did) throws SQLException {
        return Long.parseLong(query(run, "SELECT count(*) FROM repo_records WHERE did = ?", did));
    }

    private static long statusRecords(BackfillRun run, String did) throws SQLException {
        String v = query(run, "SELECT records FROM backfill_dids WHERE did = ?", did);
        return v == null ? -1 : Long.parseLong(v);
    }

    private static String row(BackfillRun run, String did) throws SQLException {
        return query(run, "SELECT state || '|' || records || '|' || dead_lettered FROM backfill_dids WHERE did = ?", did);
    }

    private static String lastError(BackfillRun run, String did) throws SQLException {
        return query(run, "SELECT last_error FROM backfill_dids WHERE did = ?", did);
    }

    private static String column(BackfillRun run, String did, String rkey, String expression) throws SQLException {
        return query(run, "SELECT " + expression + " FROM repo_records WHERE did = ? AND rkey = '" + rkey + "'", did);
    }

    private static String query(BackfillRun run, String sql, String did) throws SQLException {
        try (Connection c = run.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, did);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
