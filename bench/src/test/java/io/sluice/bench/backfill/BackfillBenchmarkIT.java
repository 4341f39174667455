package io.sluice.bench.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bench.BenchResult;
import io.sluice.stack.StackEndpoints;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few DIDs through {@code sluice bench backfill}'s benchmark, both runs: it must finish, count the
 * simulator's records for both (it fails itself when a table differs from the simulator), and report
 * the numbers the issue asks for. The full-size run is by hand.
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackfillBenchmarkIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSmallRunWithAHostLimitReportsRatesViolationsAndTheBaseline(TestStack stack) throws Exception {
        BackfillBenchSettings settings = new BackfillBenchSettings(60, 3, OptionalInt.of(10), 0, 5, 20, 3, 3, false, 2);
        BenchResult result = new BackfillBenchmark(new StackEndpoints(stack.bootstrapServers(), stack.registryUrl(),
                stack.postgres()), settings, line -> { }).run();

        JsonNode json = JSON.readTree(result.toJson());
        assertThat(json.get("workload").asText()).isEqualTo("backfill");
        assertThat(json.get("items").asLong()).isEqualTo(60);
        assertThat(json.get("dids").asLong()).isEqualTo(60);
        assertThat(json.get("rows").asLong()).isBetween(60L * 5, 60L * 20);
        assertThat(json.get("rate_limit_violations").asLong()).isZero();
        assertThat(json.get("requests").asLong()).isGreaterThanOrEqualTo(60);
        // 60 fetches at 3 x 10/s take at least two seconds: a rate, not a ratio of nothing
        assertThat(json.get("allowed_rate_utilisation").asDouble()).isGreaterThan(0.1).isLessThanOrEqualTo(1.0);
        assertThat(json.get("baseline").get("name").asText()).isEqualTo(CoordinatorBaseline.NAME);
        assertThat(json.get("baseline").get("seconds").asDouble()).isPositive();
        assertThat(json.get("peak_heap_mb").asLong()).isPositive();
        assertThat(json.get("details").get("baseline_requests").asLong()).isGreaterThanOrEqualTo(60);
        // Two rounds, the order alternating; the last run of each path is the one reported.
        assertThat(json.get("details").get("rounds_s")).hasSize(2);
        assertThat(json.get("details").get("baseline_rounds_s")).hasSize(2);
        assertThat(json.get("seconds").asDouble()).isEqualTo(json.get("details").get("rounds_s").get(1).asDouble());
    }
}
