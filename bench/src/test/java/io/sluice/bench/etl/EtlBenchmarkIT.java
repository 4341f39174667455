package io.sluice.bench.etl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bench.BenchResult;
import io.sluice.stack.StackEndpoints;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few hundred users through {@code sluice bench etl}'s benchmark, no warm-up: the Kafka path (started by
 * EtlPipeline) must finish and its CPU must be charged to the stages that did the work, not to "other".
 * The full-size run is by hand.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EtlBenchmarkIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSmallRunReportsItsTimingsAndChargesCpuToTheFlattenerAndTheSinks(TestStack stack) throws Exception {
        EtlBenchSettings settings = new EtlBenchSettings(300, 3, 0, 2, 1, Duration.ofMillis(100), 2, 100, Duration.ofMillis(100));
        BenchResult result = new EtlBenchmark(new StackEndpoints(stack.bootstrapServers(), stack.registryUrl(),
                stack.postgres()), settings, line -> { }).run();

        JsonNode json = JSON.readTree(result.toJson());
        assertThat(json.get("workload").asText()).isEqualTo("etl");
        assertThat(json.get("items").asLong()).isEqualTo(300);
        assertThat(json.get("seconds").asDouble()).isPositive();
        JsonNode details = json.get("details");
        assertThat(details.get("sink_transactions").asLong()).isPositive();
        assertThat(details.get("first_commit_s").asDouble()).isLessThanOrEqualTo(json.get("seconds").asDouble());
        assertThat(details.get("cpu_s").get("flattener").asDouble()).isPositive();
        assertThat(details.get("cpu_s").get("sink").asDouble()).isPositive();
        // Both baselines ran and were checked: the one from the events' extended JSON first, then the in-memory one.
        assertThat(json.get("baselines")).extracting(b -> b.get("name").asText())
                .containsExactly("direct-jdbc-batch-500-from-extended-json", BenchResult.BASELINE_ETL);
        assertThat(json.get("baselines")).allSatisfy(b -> assertThat(b.get("seconds").asDouble()).isPositive());
    }
}
