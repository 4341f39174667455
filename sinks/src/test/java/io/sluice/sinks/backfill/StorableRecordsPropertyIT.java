package io.sluice.sinks.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cbor.DagCborJson;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.backfill.StorableJson;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.testing.PropertyDatabase;
import io.sluice.sinks.core.testing.RunningSink;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11: every atproto record is stored without loss. For any record whose strings (keys and values)
 * are drawn from all Unicode scalar values, U+0000 and non-characters included, made into a RepoRecord
 * as the fetcher makes it (DagCborJson, then StorableJson) and sent through the real broker and registry
 * to a running records sink, the row in PostgreSQL reads back equal to the original: its stored DAG-CBOR
 * decoded when the JSON was escaped, its JSON otherwise; and the JSON was escaped exactly when the record
 * holds U+0000. No record is dead-lettered. (DAG-CBOR text is valid UTF-8, so lone surrogates cannot
 * occur in a record: bytes that are not are an undecodable record, the fetcher's RECORD_UNDECODABLE.)
 *
 * <p>jqwik runs outside JUnit Jupiter, so this starts its own stack and database for the container.
 */
@Tag("integration")
class StorableRecordsPropertyIT {

    private static final String DID = "did:plc:storablestorablestorab";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger RKEYS = new AtomicInteger();

    private static EmbeddedStack stack;
    private static PropertyDatabase database;
    private static RunningSink sink;
    private static KafkaProducer<byte[], byte[]> producer;
    private static RecordsSinkTopics topics;
    private static Serializer<String> keys;
    private static Serializer<RepoRecord> values;

    @BeforeContainer
    static void start() throws SQLException {
        stack = EmbeddedStack.start(StackConfig.fromEnvironment(System.getenv(), line -> { }));
        StackEndpoints endpoints = stack.endpoints();
        database = PropertyDatabase.create("storable");
        topics = new RecordsSinkTopics("storable-records", "storable-status");
        TopicAdmin.ensure(endpoints.connection(), List.of(topics.records(), topics.status(), "storable-dlq"), 1,
                Duration.ofSeconds(30));
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(endpoints.registryUrl()), true);
        keys = serdes.stringKey().serializer();
        values = serdes.specificValue(RepoRecord.class).serializer();
        SinkConfig config = RecordsSink.config(endpoints.connection(), database.endpoint().jdbcUrl(), "storable", topics)
                .credentials(database.endpoint().user(), database.endpoint().password())
                .schema("public").dlqTopicPattern("storable-dlq").build();
        sink = RunningSink.start(RecordsSink.create(config, topics, serdes), "storable-sink");
        // the sink migrates on its own thread: a first read between two migrations finds no record_cbor yet
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Connection c = database.endpoint().connect(); Statement st = c.createStatement()) {
                st.executeQuery("SELECT record_cbor, record_json_escaped FROM repo_records LIMIT 0").close();
                return true;
            }
        });
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (producer != null) producer.close();
        if (sink != null) sink.close();
        if (database != null) database.drop();
        if (stack != null) stack.close();
    }

    @Property(tries = 60)
    void whatTheSinkAcknowledgesReadsBackEqual(@ForAll("records") Map<String, Object> record) throws Exception {
        byte[] cbor = DagCborEncoder.encodeValue(record);
        String rkey = "k" + RKEYS.incrementAndGet();
        RepoRecord repoRecord = StorableJson.apply(RepoRecord.newBuilder().setDid(DID).setCollection("test.storable")
                .setRkey(rkey).setCid("bafyrei" + rkey).setRev("3kaaaaaaaaaa2").setRunId("run"),
                DagCborJson.toJson(cbor), cbor).build();
        producer.send(new ProducerRecord<>(topics.records(), keys.serialize(topics.records(), DID),
                values.serialize(topics.records(), repoRecord))).get();

        Row row = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> { sink.assertRunning(); return read(rkey); }, r -> r != null);

        assertThat(sink.counters().deadLettered()).as("records dead-lettered by the sink").isZero();
        boolean hasNul = JSON.writeValueAsString(record).contains("\\u0000");
        assertThat(row.escaped()).as("escaped exactly when the record holds U+0000").isEqualTo(hasNul);
        Object readBack = row.cbor() != null ? DagCborDecoder.decode(row.cbor()) : JSON.readValue(row.json(), Object.class);
        assertThat(readBack).isEqualTo(record);
    }

    /** Maps of strings and lists of strings: the shapes where atproto text lives. */
    @Provide
    Arbitrary<Map<String, Object>> records() {
        Arbitrary<String> text = text();
        Arbitrary<Object> value = Arbitraries.oneOf(text.map(s -> (Object) s), text.list().ofMaxSize(3).map(l -> (Object) l));
        return Arbitraries.maps(text, value).ofMinSize(1).ofMaxSize(4);
    }

    /** Strings over every Unicode scalar value, weighted towards U+0000, non-characters, '\' and '"'. */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> scalar = Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF, 0x10FFFE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of((int) '\\', (int) '"', (int) 'u', (int) '0', 0x1F, 0x7F)),
                net.jqwik.api.Tuple.of(6, scalar));
        return codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    private record Row(String json, byte[] cbor, boolean escaped) {
    }

    private static Row read(String rkey) throws SQLException {
        try (Connection c = database.endpoint().connect();
             PreparedStatement st = c.prepareStatement(
                     "SELECT record::text, record_cbor, record_json_escaped FROM repo_records WHERE did = ? AND rkey = ?")) {
            st.setString(1, DID);
            st.setString(2, rkey);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), rs.getBytes(2), rs.getBoolean(3)) : null;
            }
        }
    }
}
