package io.sluice.backfill.ratelimit;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterHeaders;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limiter application against the real broker and registry, at 20 requests per second per
 * host. It checks the guarantees, which hold however loaded the machine is; the rate it reaches is a
 * matter for the benchmark (and WindowLimiterTest, on a fake clock).
 */
@WithSluiceStack
class RateLimiterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> HOSTS = List.of("pds1.example", "pds2.example", "pds3.example", "pds4.example");

    @TempDir
    Path stateDir;

    @Test
    void twoHundredDidsOverFourHostsAtTwentyPerSecondComeOutWithinTheLimit(TestStack stack) throws Exception {
        RateLimiterConfig config = config(stack, "a");
        Topics topics = topics(stack);
        try (RateLimiterApp app = new RateLimiterApp(config)) {
            app.start();
            assertThat(app.awaitRunning(TIMEOUT)).as("limiter running").isTrue();
            produce(stack, topics, config, HOSTS, 50);

            List<ConsumerRecord<String, FetchTask>> out = consume(stack, topics, config, 200);

            assertThat(out).extracting(r -> r.value().getDid()).doesNotHaveDuplicates().hasSize(200);
            for (String host : HOSTS) {
                List<Long> released = releasedAt(out, host);
                assertThat(released).as(host).hasSize(50);
                assertThat(Windows.maxInAnyWindow(released, 1_000)).as(host + ", any 1 s window").isLessThanOrEqualTo(20);
                assertThat(Windows.maxInAnyFixedWindow(released, 1_000)).as(host + ", fixed windows").isLessThanOrEqualTo(20);
                List<Long> timestamps = out.stream().filter(r -> r.value().getPdsHost().equals(host))
                        .map(ConsumerRecord::timestamp).sorted().toList();
                assertThat(Windows.maxInAnyWindow(timestamps, 1_000)).as(host + ", record timestamps").isLessThanOrEqualTo(20);
            }
            assertThat(out).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(r.value().getDid());
                assertThat(r.timestamp()).isEqualTo(r.value().getReleasedAt().toEpochMilli());
                assertThat(r.value().getNotAfter()).isEqualTo(r.value().getReleasedAt().plusMillis(22));
            });

            // a record that is not Avro goes to the DLQ, with where it came from
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerProps(stack), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(config.topics().resolved(), "pds1.example".getBytes(StandardCharsets.UTF_8),
                        "not avro".getBytes(StandardCharsets.UTF_8))).get();
            }
            ConsumerRecord<byte[], byte[]> dead = consumeOne(stack, config.topics().dlq());
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(DeadLetter.read(dead.headers())).extracting(DeadLetterHeaders::sourceTopic, DeadLetterHeaders::stage,
                    DeadLetterHeaders::reason).containsExactly(config.topics().resolved(), "ratelimiter", "deserialization");
        }
    }

    @Test
    void aRestartThatRestoresFromTheChangelogReleasesNoBurstAndNothingTwice(TestStack stack) throws Exception {
        RateLimiterConfig config = config(stack, "b");
        Topics topics = topics(stack);
        String host = "pds1.example";
        List<ConsumerRecord<String, FetchTask>> before;
        try (RateLimiterApp app = new RateLimiterApp(config)) {
            app.start();
            assertThat(app.awaitRunning(TIMEOUT)).isTrue();
            produce(stack, topics, config, List.of(host), 100);
            before = consume(stack, topics, config, 25);
        }
        // a different machine: no local state, everything restored from the changelogs
        RateLimiterConfig moved = RateLimiterConfig.builder(config.connection())
                .applicationId(config.applicationId()).topics(config.topics()).defaultPolicy(config.defaultPolicy())
                .streamsOverride(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("elsewhere").toString()).build();
        try (RateLimiterApp app = new RateLimiterApp(moved)) {
            app.start();
            assertThat(app.awaitRunning(TIMEOUT)).isTrue();
            List<ConsumerRecord<String, FetchTask>> all = consume(stack, topics, config, 100);

            assertThat(all).extracting(r -> r.value().getDid()).doesNotHaveDuplicates().hasSize(100);
            assertThat(before.size()).isLessThan(100);
            assertThat(Windows.maxInAnyWindow(releasedAt(all, host), 1_000)).isLessThanOrEqualTo(20);
        }
    }

    private RateLimiterConfig config(TestStack stack, String suffix) throws Exception {
        RateLimiterConfig.TopicSet names = new RateLimiterConfig.TopicSet(stack.unique("backfill.resolved"),
                Optional.of(stack.unique("backfill.retry")), stack.unique("backfill.ratelimit"), stack.unique("backfill.fetch"),
                stack.unique("backfill.dlq"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(names.resolved(), 2, (short) 1), new NewTopic(names.retry().orElseThrow(), 2,
                    (short) 1), new NewTopic(names.signals(), 2, (short) 1), new NewTopic(names.fetch(), 2, (short) 1),
                    new NewTopic(names.dlq(), 1, (short) 1))).all().get();
        }
        return RateLimiterConfig.builder(stack.connection())
                .applicationId(stack.unique("ratelimiter-it-" + suffix)).topics(names)
                .defaultPolicy(RateLimitPolicy.parse("20/s"))
                .streamsOverride(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(suffix).toString())
                .build();
    }

    private static Topics topics(TestStack stack) {
        return Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
    }

    private static void produce(TestStack stack, Topics topics, RateLimiterConfig config, List<String> hosts, int perHost)
            throws Exception {
        Topic<String, ResolvedDid> resolved = topics.backfillResolved().withName(config.topics().resolved());
        try (KafkaProducer<String, ResolvedDid> producer = new KafkaProducer<>(producerProps(stack),
                resolved.keySerde().serializer(), resolved.valueSerde().serializer())) {
            for (int i = 0; i < perHost; i++) {
                for (String host : hosts) {
                    ResolvedDid r = new ResolvedDid("did:plc:" + host.substring(0, 4) + "x" + i, "https://" + host, host,
                            "run-it", Instant.now());
                    producer.send(new ProducerRecord<>(resolved.name(), host, r));
                }
            }
            producer.flush();
        }
    }

    /** Reads backfill.fetch from the start until {@code count} tasks arrived. */
    private static List<ConsumerRecord<String, FetchTask>> consume(TestStack stack, Topics topics, RateLimiterConfig config,
                                                                   int count) {
        Topic<String, FetchTask> fetch = topics.backfillFetch().withName(config.topics().fetch());
        List<ConsumerRecord<String, FetchTask>> out = new ArrayList<>();
        try (KafkaConsumer<String, FetchTask> consumer = new KafkaConsumer<>(consumerProps(stack),
                fetch.keySerde().deserializer(), fetch.valueSerde().deserializer())) {
            consumer.subscribe(List.of(fetch.name()));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (out.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static ConsumerRecord<byte[], byte[]> consumeOne(TestStack stack, String topic) {
        Deserializer<byte[]> bytes = new ByteArrayDeserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(stack), bytes, bytes)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) return r;
            }
        }
        throw new AssertionError("nothing arrived on " + topic + " within " + TIMEOUT);
    }

    private static List<Long> releasedAt(List<ConsumerRecord<String, FetchTask>> out, String host) {
        return out.stream().map(ConsumerRecord::value).filter(t -> t.getPdsHost().equals(host))
                .map(t -> t.getReleasedAt().toEpochMilli()).sorted().toList();
    }

    private static Map<String, Object> producerProps(TestStack stack) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all");
    }

    private static Map<String, Object> consumerProps(TestStack stack) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, stack.unique("ratelimiter-it-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
