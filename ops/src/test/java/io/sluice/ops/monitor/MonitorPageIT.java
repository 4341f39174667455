package io.sluice.ops.monitor;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.MetricsServer;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.RateLimitHostMetrics;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor page end to end, in headless Chromium against the real broker and PostgreSQL: a group
 * whose member has committed part of a topic and then paused (so it must read STALLED with a known
 * lag), a group that has read everything (OK, lag 0), a group with lag and no members (ERROR), the same
 * statuses at the monitor's /metrics, a dead-letter topic, backfill progress in
 * {@code backfill_dids}, and a rate limiter's per-host gauges served at /metrics. The numbers the page
 * renders (its data-* attributes, after its JavaScript ran) must equal what the broker, PostgreSQL and
 * the gauges say. Chromium missing: fails under CI=true, else skipped (see {@link HeadlessChromium}).
 */
@WithSluiceStack
class MonitorPageIT {

    private static final int RECORDS = 120;
    private static final int PARTITIONS = 2;
    private static final long COMMITTED_PER_PARTITION = 20;
    private static final int DEAD_LETTERS = 7;
    /** Four samples at 500 ms: shorter than the wait for STALLED, so the charts' rings are full and post-commit. */
    private static final Duration HISTORY = Duration.ofSeconds(2);

    @TempDir
    Path scratch;

    @Test
    void thePageShowsWhatTheBrokerAndPostgresSay(TestStack stack) throws Exception {
        HeadlessChromium.require();
        String topic = stack.unique("monitor.in");
        String dlq = stack.unique("monitor") + ".dlq";
        String dids = stack.unique("monitor.dids");
        String paused = stack.unique("paused-group");
        String caughtUp = stack.unique("caught-up-group");
        String stopped = stack.unique("stopped-group");
        String schema = "monitor_page";
        TopicAdmin.ensure(stack.connection(), List.of(topic, dlq, dids), PARTITIONS, Duration.ofSeconds(30));
        produce(stack, topic, RECORDS);
        produce(stack, dlq, DEAD_LETTERS);
        produce(stack, dids, 12);
        backfillRows(stack, schema);

        List<HostView> hosts = List.of(new HostView("busy.pds.example", 40, 0, 20, 1_900_000_000_000L),
                new HostView("calm.pds.example", 2, 5, 20, 0));
        AtomicBoolean stop = new AtomicBoolean();
        try (ComponentMetrics limiterMetrics = new ComponentMetrics("ratelimiter");
             MetricsServer limiterEndpoint = MetricsServer.start("127.0.0.1", 0, limiterMetrics)) {
            RateLimitHostMetrics gauges = limiterMetrics.bind(new RateLimitHostMetrics(() -> hosts));
            limiterMetrics.beforeScrape(gauges::refresh);

            CompletableFuture<Void> pausedMember = member(stack, paused, topic, stop, consumer -> {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(COMMITTED_PER_PARTITION));
                consumer.commitSync(commit);
                consumer.pause(consumer.assignment());
            });
            CompletableFuture<Void> caughtUpMember = member(stack, caughtUp, topic, stop, consumer -> {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                for (TopicPartition tp : consumer.assignment()) commit.put(tp, new OffsetAndMetadata(consumer.endOffsets(List.of(tp)).get(tp)));
                consumer.commitSync(commit);
            });

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.alterConsumerGroupOffsets(stopped, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5),
                        new TopicPartition(topic, 1), new OffsetAndMetadata(5))).all().get();
            }
            Workload workload = new Workload("test", "monitor test", List.of(
                    new Stage("paused consumer", paused, List.of(topic), List.of("nowhere")),
                    new Stage("caught-up consumer", caughtUp, List.of(topic), List.of("nowhere either")),
                    new Stage("stopped consumer", stopped, List.of(topic), List.of("nowhere at all"))));
            MonitorConfig config = MonitorConfig.defaults(0, stack.connection(), Optional.of(stack.postgres()))
                    .withWorkloads(List.of(workload), dids, schema)
                    .withRateLimits(RateLimitSource.fromMetrics(limiterEndpoint.url()))
                    .withTiming(Duration.ofMillis(500), Duration.ofSeconds(2))
                    .withHistory(HISTORY);
            try (MonitorServer monitor = MonitorServer.start(config)) {
                // Wait for what takes time to be true (members joined, the stall clock run out, every chart's
                // ring full of samples taken after the groups settled: a sample takes longer on a loaded
                // machine, and one taken before the paused group committed shows a higher lag), then read the page.
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<MonitorState.StageView> stages = monitor.state().workloads().getFirst().stages();
                    return stages.stream().map(MonitorState.StageView::status).toList().equals(List.of("STALLED", "OK", "ERROR"))
                            && stages.stream().allMatch(stage -> stage.history().size() == config.historySamples()
                                    && Arrays.stream(stage.history().lag()).allMatch(lag -> lag == stage.lag()));
                });
                RenderedPage page = new RenderedPage(HeadlessChromium.dumpDom(monitor.url(), 5_000, scratch));
                assertThat(page.html()).as("the page's script rendered a state").containsPattern("<body data-renders=\"[1-9]");

                Map<String, String> stalled = page.element("data-group", paused).orElseThrow();
                assertThat(stalled).containsEntry("data-status", "STALLED").containsEntry("data-members", "1")
                        .containsEntry("data-lag", Long.toString(brokerLag(stack, paused, topic)))
                        .containsEntry("data-lag", Long.toString(RECORDS - PARTITIONS * COMMITTED_PER_PARTITION));
                Map<String, String> ok = page.element("data-group", caughtUp).orElseThrow();
                assertThat(ok).containsEntry("data-status", "OK").containsEntry("data-members", "1")
                        .containsEntry("data-lag", Long.toString(brokerLag(stack, caughtUp, topic))).containsEntry("data-lag", "0");
                assertThat(page.element("data-group", stopped).orElseThrow()).containsEntry("data-status", "ERROR")
                        .containsEntry("data-members", "0").containsEntry("data-lag", Long.toString(brokerLag(stack, stopped, topic)))
                        .containsEntry("data-lag", Long.toString(RECORDS - PARTITIONS * 5));
                assertThat(page.element("id", "legend").orElseThrow()).isNotEmpty();

                // /metrics says what the page says.
                HttpResponse<String> scraped = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(monitor.url().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scraped.statusCode()).isEqualTo(200);
                assertThat(PrometheusText.parse(scraped.body()))
                        .filteredOn(m -> m.name().equals("sluice_group_status") && m.value() == 1)
                        .extracting(m -> m.label("group") + "=" + m.label("status"))
                        .containsExactlyInAnyOrder(paused + "=STALLED", caughtUp + "=OK", stopped + "=ERROR");

                // The charts: one lag and one rate sparkline per stage, each drawing the whole (full, bounded) ring.
                int samples = config.historySamples();
                assertThat(samples).isEqualTo(4);
                long stalledLag = RECORDS - PARTITIONS * COMMITTED_PER_PARTITION;
                Map<String, String> lagChart = page.element("data-chart", paused + "/lag").orElseThrow();
                assertThat(lagChart).containsEntry("data-points", Integer.toString(samples))
                        .containsEntry("data-now", Long.toString(stalledLag)).containsEntry("data-max", Long.toString(stalledLag));
                assertThat(page.element("data-chart", paused + "/rate").orElseThrow())
                        .containsEntry("data-points", Integer.toString(samples)).containsEntry("data-now", "0");
                assertThat(page.element("data-chart", caughtUp + "/lag").orElseThrow())
                        .containsEntry("data-points", Integer.toString(samples)).containsEntry("data-max", "0");
                assertThat(page.element("data-chart", caughtUp + "/rate")).isPresent();
                assertThat(page.polylinePointsAfter("data-chart", paused + "/lag")).as("one vertex per sample").isEqualTo(samples);

                assertThat(page.element("data-dlq-topic", dlq).orElseThrow())
                        .containsEntry("data-records", Long.toString(brokerRecords(stack, dlq))).containsEntry("data-records", "7");

                assertThat(page.element("id", "backfill").orElseThrow())
                        .containsEntry("data-done", "7").containsEntry("data-failed", "1").containsEntry("data-total", "12");

                assertThat(page.element("data-host", "busy.pds.example").orElseThrow())
                        .containsEntry("data-queued", "40").containsEntry("data-available", "0")
                        .containsEntry("data-limit", "20").containsEntry("data-paused-until", "1900000000");
                assertThat(page.element("data-host", "calm.pds.example").orElseThrow())
                        .containsEntry("data-queued", "2").containsEntry("data-available", "5");
            } finally {
                stop.set(true);
                pausedMember.get(30, TimeUnit.SECONDS);
                caughtUpMember.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A group member on its own thread: once it has its partitions, {@code onAssigned}, then polls until {@code stop}. */
    private static CompletableFuture<Void> member(TestStack stack, String group, String topic, AtomicBoolean stop,
                                                  Consumer<KafkaConsumer<String, String>> onAssigned) {
        return CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (consumer.assignment().size() < PARTITIONS && !stop.get()) consumer.poll(Duration.ofMillis(100));
                onAssigned.accept(consumer);
                while (!stop.get()) consumer.poll(Duration.ofMillis(100));
            }
        }, task -> Thread.ofPlatform().daemon().name("member-" + group).start(task));
    }

    private static void produce(TestStack stack, String topic, int n) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            producer.flush();
        }
    }

    /** 10 rows: 6 DONE, 1 FAILED, 3 QUEUED, in the sinks' real table. */
    private static void backfillRows(TestStack stack, String schema) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        if (!stack.postgres().password().isEmpty()) ds.setPassword(stack.postgres().password());
        SinkMigrations.migrate(ds, schema);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + schema + ".backfill_dids (did, state, run_id, updated_at) "
                    + "SELECT 'did:plc:monitor' || i, CASE WHEN i <= 6 THEN 'DONE' WHEN i = 7 THEN 'FAILED' ELSE 'QUEUED' END, "
                    + "'run', now() FROM generate_series(1, 10) i");
        }
    }

    /** The group's lag as the broker has it: end offsets minus committed offsets. */
    private static long brokerLag(TestStack stack, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) lag += e.getValue().offset() - committed.get(e.getKey()).offset();
            return lag;
        }
    }

    private static long brokerRecords(TestStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long n = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) n += e.getValue().offset();
            for (var e : admin.listOffsets(earliest).all().get().entrySet()) n -= e.getValue().offset();
            return n;
        }
    }
}
