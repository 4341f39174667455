package io.sluice.dcb.service;

import io.sluice.dcb.api.ApiLimits;
import io.sluice.dcb.api.ReadFence;
import io.sluice.dcb.api.ResultWaiter;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 against the real stack: nothing answered 200 is lost between the API and PostgreSQL. Text
 * PostgreSQL cannot store (U+0000, unpaired surrogates) and bytes that are not UTF-8 are 400s naming
 * the field and leave the log as it was; a command with U+0000 from another producer is REJECTED by
 * the decider, not sequenced; a body just under the limit is appended and readable, one over it a
 * 413; a record Kafka refuses as too large is a 413, not a retryable 503.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DcbIntegrityIT {

    private static DcbService service;
    private static DcbClient client;
    private static TestStack testStack;
    private static Path stateRoot;
    private static DcbServiceConfig mainConfig;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        testStack = stack;
        stateRoot = stateDir;
        mainConfig = TestServices.config(stack, stateDir.resolve("main"));
        service = DcbService.start(mainConfig, line -> { });
        client = new DcbClient(service.baseUri());
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (service != null) service.close();
    }

    @Test
    void textPostgresCannotStoreIsA400NamingTheFieldAndNothingIsAppended() throws Exception {
        long before = eventsInPostgres();
        assertRefused("{\"events\": [{\"type\": \"A\", \"tags\": [\"ok\", \"t\\u0000\"], \"data\": \"d\"}]}",
                "events[0].tags[1] contains U+0000, which PostgreSQL text cannot store");
        assertRefused("{\"events\": [{\"type\": \"A\\u0000\", \"data\": \"d\"}]}", "events[0].type contains U+0000");
        assertRefused("{\"events\": [{\"type\": \"A\", \"data\": \"{\\\"k\\\":\\\"\\u0000\\\"}\"}]}",
                "events[0].data contains U+0000");
        assertRefused("{\"events\": [{\"type\": \"A\", \"data\": \"x\\ud800\"}]}", "events[0].data contains an unpaired surrogate U+D800");
        assertRefused("{\"events\": [{\"type\": \"A\", \"tags\": [\"\\udfff\"], \"data\": \"x\"}]}",
                "events[0].tags[0] contains an unpaired surrogate U+DFFF");
        assertRefused("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": {\"failIfEventsMatch\": {\"items\":"
                + " [{\"tags\": [\"\\u0000\"]}]}}}", "condition.failIfEventsMatch.items[0].tags[0] contains U+0000");

        // C0 AF is an overlong '/': a lenient decoder would append "a/b" where the client sent something else
        byte[] overlong = "{\"events\": [{\"type\": \"A\", \"tags\": [\"overlong\"], \"data\": \"a__b\"}]}".getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.UTF_8).indexOf("__");
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        HttpResponse<String> response = postBytes(overlong);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("the request body is not valid UTF-8: malformed bytes at offset " + at);
        // ED A0 80: a surrogate encoded as UTF-8 (CESU), no valid UTF-8 either
        overlong[at] = (byte) 0xED;
        overlong[at + 1] = (byte) 0xA0;
        assertThat(postBytes(overlong).statusCode()).isEqualTo(400);

        HttpResponse<String> read = client.get("/read?query=%7B%22items%22%3A%5B%7B%22tags%22%3A%5B%22%C0%AF%22%5D%7D%5D%7D");
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(read.body()).contains("parameter 'query' is not valid UTF-8");
        assertThat(client.get(DcbClient.readPath(query(List.of(item(List.of(), List.of("a\u0000")))), null)).body())
                .contains("query.items[0].tags[0] contains U+0000");

        // non-characters and supplementary planes are text like any other: stored and read back unchanged
        String odd = "\uFFFE\uFFFF\uD83D\uDE00\uDBFF\uDFFF\u0001";
        client.append(List.of(event("Odd" + odd, List.of("odd:" + odd), odd)), null);
        assertThat(client.read(query(List.of(item(List.of(), List.of("odd:" + odd)))), null)).singleElement()
                .satisfies(e -> assertThat(e.data()).isEqualTo(odd)).satisfies(e -> assertThat(e.type()).isEqualTo("Odd" + odd));
        assertThat(eventsInPostgres()).as("only the storable append reached PostgreSQL").isEqualTo(before + 1);
    }

    @Test
    void aCommandWithNulFromAnotherProducerIsRejectedByTheDeciderNotSequenced() throws Exception {
        Topics topics = Topics.create(HttpSchemaRegistryClient.create(testStack.connection().requireRegistry()), true);
        String commandsTopic = mainConfig.api().commandsTopic();
        String resultsTopic = mainConfig.api().resultsTopic();
        long before = eventsInPostgres();
        try (ResultWaiter results = ResultWaiter.start(testStack.connection(), resultsTopic,
                topics.dcbResults().valueSerde().deserializer(), new ReadFence());
             KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(testStack.connection().producer(),
                     topics.dcbCommands().keySerde().serializer(), topics.dcbCommands().valueSerde().serializer())) {
            String nul = "foreign-" + UUID.randomUUID();
            String tooMany = "foreign-" + UUID.randomUUID();
            var nulAnswer = results.expect(nul);
            var tooManyAnswer = results.expect(tooMany);
            producer.send(new ProducerRecord<>(commandsTopic, Topics.DCB_COMMAND_KEY, new AppendCommand(nul, null,
                    List.of(new EventData("Foreign", List.of("foreign:1"), "a\u0000b")), null, Instant.now())));
            producer.send(new ProducerRecord<>(commandsTopic, Topics.DCB_COMMAND_KEY, new AppendCommand(tooMany, null,
                    List.of(new EventData("Foreign", java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> "t" + i).toList(),
                            "x")), null, Instant.now())));
            producer.flush();
            AppendResult rejected = nulAnswer.get(30, TimeUnit.SECONDS);
            assertThat(rejected.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
            assertThat(rejected.getError()).isEqualTo("events[0].data contains U+0000, which PostgreSQL text cannot store");
            assertThat(rejected.getFirstPosition()).isNull();
            AppendResult limited = tooManyAnswer.get(30, TimeUnit.SECONDS);
            assertThat(limited.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
            assertThat(limited.getError()).contains("events[0].tags holds 100000 tags").contains("--max-tags-per-event");
        }
        // the store carries on: the next append is sequenced and readable
        client.append(List.of(event("AfterForeign", List.of("foreign:after"), "ok")), null);
        assertThat(client.read(query(List.of(item(List.of(), List.of("foreign:after")))), null)).hasSize(1);
        assertThat(client.read(query(List.of(item(List.of(), List.of("foreign:1")))), null)).isEmpty();
        assertThat(eventsInPostgres()).isEqualTo(before + 1);
    }

    @Test
    void aBodyJustUnderTheLimitIsAppendedAndReadableAndOneOverItIsA413() {
        int limit = ApiLimits.defaults().maxBodyBytes();
        String head = "{\"events\": [{\"type\": \"Big\", \"tags\": [\"big:1\"], \"data\": \"";
        String tail = "\"}]}";
        String data = "x".repeat(limit - head.length() - tail.length());
        String body = head + data + tail;
        assertThat(body.length()).isEqualTo(limit);
        // the longest idempotency key too: the envelope reserve must take it
        HttpResponse<String> appended = client.post("/append", body, "k".repeat(255));
        assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
        List<ReadEvent> read = client.read(query(List.of(item(List.of(), List.of("big:1")))), null);
        assertThat(read).singleElement().satisfies(e -> assertThat(e.data()).isEqualTo(data));

        HttpResponse<String> over = client.post("/append", head + data + "x" + tail, null);
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("Retry-After")).isEmpty();
        assertThat(over.body()).contains("\"error\":\"too_large\"").contains("larger than " + limit + " bytes")
                .contains(ApiLimits.BODY_OPTION);
    }

    @Test
    void aRecordKafkaRefusesAsTooLargeIsA413NotA503() throws Exception {
        // a commands topic whose max.message.bytes is below the API's body limit: the broker refuses the record
        DcbServiceConfig config = TestServices.config(testStack, stateRoot.resolve("small"));
        try (Admin admin = Admin.create(testStack.connection().admin())) {
            admin.createTopics(List.of(new NewTopic(config.api().commandsTopic(), 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "100000")))).all().get(30, TimeUnit.SECONDS);
        }
        try (DcbService small = DcbService.start(config, line -> { }); DcbClient smallClient = new DcbClient(small.baseUri())) {
            HttpResponse<String> response = smallClient.post("/append", "{\"events\": [{\"type\": \"A\", \"data\": \""
                    + "y".repeat(200_000) + "\"}]}", null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
            assertThat(response.body()).contains("too large for Kafka").contains("max.message.bytes");
            assertThat(smallClient.post("/append", "{\"events\": [{\"type\": \"A\", \"data\": \"small\"}]}", null).statusCode())
                    .isEqualTo(200);
        }
    }

    private static HttpResponse<String> postBytes(byte[] body) {
        return client.send(HttpRequest.newBuilder(service.baseUri().resolve("/append")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static void assertRefused(String body, String message) {
        HttpResponse<String> response = client.post("/append", body, null);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"bad_request\"").contains(message);
    }

    private static long eventsInPostgres() throws Exception {
        try (Connection c = testStack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
