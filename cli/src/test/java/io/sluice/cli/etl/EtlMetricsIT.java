package io.sluice.cli.etl;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.MetricsServer;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.PrometheusText.Sample;
import io.sluice.testing.ForcedGc;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics through the real stack: the flattener (a Kafka Streams app) and the ETL sink record into one
 * registry served at /metrics over HTTP, as {@code sluice flattener|etl-sink --metrics-port} serve it.
 * After N created users flow through, a scrape must say the sink consumed and wrote exactly N bundles
 * in committed batches, with no dead letters, and carry the consumer-lag and JVM series.
 */
@WithSluiceStack
class EtlMetricsIT {

    private static final int USERS = 200;

    @Test
    void aScrapeCountsWhatWasProducedAndHasLagAndJvmSeries(TestStack stack) throws Exception {
        String database = stack.unique("metrics").replace('-', '_');
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(3), new MongoChangeEvents(database, Clock.system()));
        EtlTestPipeline pipeline = EtlTestPipeline.create(stack, feed.topic(), 1);
        String group = stack.unique("metrics-sink");
        try (ComponentMetrics metrics = new ComponentMetrics("etl-it");
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics);
             HttpClient http = HttpClient.newHttpClient();
             FlattenerApp flattener = pipeline.flattener();
             CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(),
                     HttpSchemaRegistryClient.create(stack.registryUrl()), Map.of());
             RunningEtlSink sink = RunningEtlSink.start(pipeline.sinkConfig(group, "etl_metrics", 50)
                     .withMeterRegistry(metrics.registry()), stack.registryUrl())) {
            metrics.bind(flattener.metrics());
            flattener.start();
            // a counter Micrometer held only weakly would be gone now and read 0 to the end
            ForcedGc.collect();
            publisher.publish(feed.create(1, USERS));

            Map<String, String> sinkTags = Map.of("component", "etl-it", "stage", "etl-sink", "group", group);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).failFast(sink::assertRunning)
                    .until(() -> value(scrape(http, server), "sluice_sink_records_written_total", sinkTags) == USERS);
            ForcedGc.collect();

            List<Sample> samples = scrape(http, server);
            // the flattener's own count of processed records (Streams' process-total; the one Streams app here)
            assertThat(PrometheusText.find(samples, "kafka_stream_thread_process_total", Map.of("component", "etl-it"))
                    .stream().mapToDouble(Sample::value).sum())
                    .isEqualTo(flattener.recordsProcessed()).isGreaterThanOrEqualTo(USERS);
            assertThat(value(samples, "sluice_sink_records_consumed_total", sinkTags)).isEqualTo(USERS);
            assertThat(value(samples, "sluice_sink_records_dead_lettered_total", sinkTags)).isZero();
            assertThat(value(samples, "sluice_sink_batch_size_records_sum", sinkTags)).isEqualTo(USERS);
            assertThat(value(samples, "sluice_sink_batch_size_records_count", sinkTags))
                    .isEqualTo(sink.counters().batches()).isGreaterThanOrEqualTo(USERS / 50);
            assertThat(value(samples, "sluice_sink_flush_seconds_count", sinkTags)).isEqualTo(sink.counters().batches());
            assertThat(sink.counters().recordsWritten()).isEqualTo(USERS);

            // consumer lag, from the sink's consumer and from the flattener's Streams clients
            List<Sample> lag = PrometheusText.find(samples, "kafka_consumer_fetch_manager_records_lag_max", Map.of());
            assertThat(lag).extracting(s -> s.label("client_id"))
                    .anyMatch(id -> id.startsWith("sluice-etl-sink"))
                    .anyMatch(id -> id.contains("flattener"));
            assertThat(PrometheusText.find(samples, "kafka_stream_thread_process_total", Map.of())).isNotEmpty();
            // JVM (series that exist from the start: a GC pause timer only appears after a collection)
            for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                    "jvm_gc_max_data_size_bytes", "jvm_classes_loaded_classes")) {
                assertThat(PrometheusText.find(samples, jvm, Map.of("component", "etl-it"))).as(jvm).isNotEmpty();
            }
        }
    }

    private static List<Sample> scrape(HttpClient http, MetricsServer server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private static double value(List<Sample> samples, String name, Map<String, String> tags) {
        return PrometheusText.single(samples, name, tags).map(Sample::value)
                .orElseThrow(() -> new AssertionError("no single " + name + tags + " in the scrape"));
    }
}
