package io.sluice.backfill.resolve;

import com.sun.net.httpserver.HttpServer;
import io.sluice.backfill.net.AddressGuard;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resolver against the real broker and registry, with a JDK HttpServer on 127.0.0.1 playing the
 * PLC directory. Loopback is allowlisted, as tests and the simulator do; 10.0.0.0/8 is not.
 */
@WithSluiceStack
class ResolverIT {

    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String OK_A = plc("a");
    private static final String OK_B = plc("b");
    private static final String FLAKY = plc("f");
    private static final String UNKNOWN = plc("u");
    private static final String NO_PDS = plc("n");
    private static final String PRIVATE = plc("p");
    private static final String ALWAYS_DOWN = plc("d");
    private static final String BAD_SYNTAX = "did:plc:short";

    private HttpServer plc;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @AfterEach
    void stopServer() {
        if (plc != null) plc.stop(0);
    }

    static String plc(String c) {
        return "did:plc:" + c.repeat(24);
    }

    @Test
    void resolvesRetriesAndDeadLettersWhatCannotBeResolved(TestStack stack) throws Exception {
        String pds = startPlcDirectory();
        String suffix = stack.unique("resolver");
        String in = "dids-" + suffix, resolvedTopic = "resolved-" + suffix, statusTopic = "status-" + suffix,
                dlq = "dlq-" + suffix, group = "resolver-" + suffix;
        ResolverConfig config = ResolverConfig.builder(stack.connection())
                .groupId(group).topics(in, resolvedTopic, statusTopic, dlq)
                .plcDirectory(URI.create("http://127.0.0.1:" + plc.getAddress().getPort()))
                .allowedNetworks(AddressGuard.LOOPBACK)
                .maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(5)).partitions(PARTITIONS)
                .build();
        TopicAdmin.ensure(stack.connection(), List.of(in), PARTITIONS, Duration.ofSeconds(30));
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        List<String> dids = List.of(OK_A, OK_B, FLAKY, UNKNOWN, NO_PDS, PRIVATE, ALWAYS_DOWN, BAD_SYNTAX, OK_A);
        produce(stack, serdes, in, dids);

        try (Resolver resolver = Resolver.create(config)) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(resolver::run);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(running).isNotCompletedExceptionally();
                assertThat(resolver.counters().resolved() + resolver.counters().failed()).isEqualTo(dids.size() + 1);
            });
            // Committed only after the outputs were acknowledged: the group is at the end of the input.
            await().atMost(WAIT).untilAsserted(() -> assertThat(committed(stack, group)).isEqualTo(ends(stack, in)));
            assertThat(resolver.counters().cacheHits()).isGreaterThanOrEqualTo(0);
        }

        Deserializer<String> keys = serdes.stringKey().deserializer();
        Deserializer<ResolvedDid> resolvedValues = serdes.specificValue(ResolvedDid.class).deserializer();
        List<ConsumerRecord<byte[], byte[]>> resolvedRecords = readAll(stack, resolvedTopic, 4);
        Map<String, String> keyByDid = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : resolvedRecords) {
            ResolvedDid v = resolvedValues.deserialize(resolvedTopic, r.value());
            assertThat(keys.deserialize(resolvedTopic, r.key())).isEqualTo(v.getPdsHost()).isEqualTo(v.getPdsEndpoint());
            keyByDid.put(v.getDid(), v.getPdsHost());
        }
        assertThat(resolvedRecords).hasSize(4);
        assertThat(keyByDid).containsOnlyKeys(OK_A, OK_B, FLAKY);
        assertThat(keyByDid.get(OK_A)).isEqualTo(pds + "/pds/one");
        // "HTTP://127.0.0.1:PORT/pds/two/" in the document: normalised to one key with the flaky DID's PDS.
        assertThat(keyByDid.get(OK_B)).isEqualTo(pds + "/pds/two").isEqualTo(keyByDid.get(FLAKY));
        assertThat(requests.get(FLAKY)).hasValue(2);
        assertThat(requests.get(ALWAYS_DOWN)).hasValue(3);
        assertThat(requests).doesNotContainKey(BAD_SYNTAX);

        Deserializer<DidStatus> statusValues = serdes.specificValue(DidStatus.class).deserializer();
        Map<String, DidStatus> statusByDid = readAll(stack, statusTopic, 9).stream()
                .map(r -> statusValues.deserialize(statusTopic, r.value()))
                .collect(Collectors.toMap(DidStatus::getDid, Function.identity(), (a, b) -> b));
        assertThat(statusByDid.get(OK_A).getState()).isEqualTo(DidState.RESOLVED);
        assertThat(statusByDid.get(OK_A).getPds()).isEqualTo(pds + "/pds/one");
        assertThat(statusByDid.get(OK_A).getRunId()).isEqualTo("run-it");
        assertThat(statusByDid.get(UNKNOWN).getState()).isEqualTo(DidState.FAILED);
        assertThat(statusByDid.get(UNKNOWN).getLastError()).startsWith("not-found: ");

        Map<String, Map<String, String>> dead = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(stack, dlq, 6)) {
            Map<String, String> headers = new HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            String did = r.key() == null ? "(garbage)" : keys.deserialize(dlq, r.key());
            dead.put(did, headers);
        }
        assertThat(dead).containsOnlyKeys(UNKNOWN, NO_PDS, PRIVATE, ALWAYS_DOWN, BAD_SYNTAX, "(garbage)");
        assertThat(dead.get(UNKNOWN)).containsEntry("sluice.dlq.reason", "not-found")
                .containsEntry("sluice.dlq.topic", in).containsEntry("sluice.dlq.stage", "resolver")
                .containsKeys("sluice.dlq.partition", "sluice.dlq.offset", "sluice.dlq.error.message");
        assertThat(dead.get(NO_PDS)).containsEntry("sluice.dlq.reason", "no-pds-service");
        assertThat(dead.get(PRIVATE)).containsEntry("sluice.dlq.reason", "forbidden-address");
        assertThat(dead.get(PRIVATE).get("sluice.dlq.error.message")).contains("10.0.0.1", "private");
        assertThat(dead.get(ALWAYS_DOWN)).containsEntry("sluice.dlq.reason", "retries-exhausted");
        assertThat(dead.get(BAD_SYNTAX)).containsEntry("sluice.dlq.reason", "invalid-did");
        assertThat(dead.get("(garbage)")).containsEntry("sluice.dlq.reason", "deserialization");

        // A restarted member of the group starts after the committed offsets: nothing is resolved twice.
        try (Resolver again = Resolver.create(config)) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(again::run);
            Thread.sleep(3_000);
            assertThat(running).isNotCompletedExceptionally();
            assertThat(again.counters().consumed()).isZero();
        }
    }

    @Test
    void runsManyLookupsAtOnceButNoMoreThanMaxInFlight(TestStack stack) throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        plc = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plc.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        int port = plc.getAddress().getPort();
        plc.createContext("/", exchange -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String did = exchange.getRequestURI().getPath().substring(1);
            byte[] body = ("{\"id\": \"" + did + "\", \"service\": [{\"id\": \"#atproto_pds\", \"type\":"
                    + " \"AtprotoPersonalDataServer\", \"serviceEndpoint\": \"http://127.0.0.1:" + port + "/pds/"
                    + (did.hashCode() & 7) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            running.decrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        plc.start();
        String suffix = stack.unique("inflight");
        ResolverConfig config = ResolverConfig.builder(stack.connection())
                .groupId("g-" + suffix).topics("in-" + suffix, "res-" + suffix, "st-" + suffix, "dlq-" + suffix)
                .plcDirectory(URI.create("http://127.0.0.1:" + port)).allowedNetworks(AddressGuard.LOOPBACK)
                .maxInFlight(16).partitions(PARTITIONS).build();
        TopicAdmin.ensure(stack.connection(), List.of(config.inputTopic()), PARTITIONS, Duration.ofSeconds(30));
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        List<String> dids = new ArrayList<>();
        for (int i = 0; i < 300; i++) dids.add("did:plc:" + String.format("%024d", i).replace('0', 'a').replace('1', 'b')
                .replace('8', 'c').replace('9', 'd'));
        produce(stack, serdes, config.inputTopic(), dids);

        long start = System.nanoTime();
        try (Resolver resolver = Resolver.create(config)) {
            CompletableFuture<Void> loop = CompletableFuture.runAsync(resolver::run);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(loop).isNotCompletedExceptionally();
                assertThat(resolver.counters().resolved()).isEqualTo(dids.size());
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("resolver: %d DIDs at 50 ms each in %.1f s, peak %d lookups in flight%n", dids.size(), seconds, peak.get());
        assertThat(peak.get()).isBetween(2, 16);
    }

    /** The PLC directory; returns the base URL its documents point the PDSes at. */
    private String startPlcDirectory() throws Exception {
        plc = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + plc.getAddress().getPort();
        Map<String, String> pdsOf = Map.of(OK_A, base + "/pds/one", OK_B, "HTTP://127.0.0.1:" + plc.getAddress().getPort()
                + "/pds/two/", FLAKY, base + "/pds/two", PRIVATE, "https://10.0.0.1");
        plc.createContext("/", exchange -> {
            String did = exchange.getRequestURI().getPath().substring(1);
            int n = requests.computeIfAbsent(did, d -> new AtomicInteger()).incrementAndGet();
            int status;
            String body;
            if (did.equals(ALWAYS_DOWN) || did.equals(FLAKY) && n == 1) {
                status = 503;
                body = "{\"message\": \"try later\"}";
            } else if (did.equals(NO_PDS)) {
                status = 200;
                body = "{\"id\": \"" + did + "\", \"service\": []}";
            } else if (pdsOf.containsKey(did)) {
                status = 200;
                body = """
                        {"id": "%s", "alsoKnownAs": ["at://someone.test"], "service": [{"id": "#atproto_pds",
                         "type": "AtprotoPersonalDataServer", "serviceEndpoint": "%s"}]}""".formatted(did, pdsOf.get(did));
            } else {
                status = 404;
                body = "{\"message\": \"DID not registered: " + did + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        plc.start();
        return base;
    }

    private static void produce(TestStack stack, AvroSerdes serdes, String topic, List<String> dids) throws Exception {
        Serializer<String> keys = serdes.stringKey().serializer();
        Serializer<DidWorkItem> values = serdes.specificValue(DidWorkItem.class).serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String did : dids) {
                producer.send(new ProducerRecord<>(topic, keys.serialize(topic, did),
                        values.serialize(topic, new DidWorkItem(did, "run-it", Instant.now())))).get();
            }
            producer.send(new ProducerRecord<>(topic, null, "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(TestStack stack, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    private static Map<TopicPartition, Long> committed(TestStack stack, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, om) -> { if (om != null) out.put(tp, om.offset()); });
            return out;
        }
    }

    private static Map<TopicPartition, Long> ends(TestStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> {
                if (info.offset() > 0) out.put(tp, info.offset());
            });
            return out;
        }
    }
}
