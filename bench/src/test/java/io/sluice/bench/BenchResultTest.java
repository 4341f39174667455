package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchResultTest {

    private final BenchResult result = new BenchResult("etl", 10_000, 345_638, 2.0, 812.4, BenchResult.BASELINE_ETL, 3.0,
            Map.of("cold_seconds", 3.5));

    @Test
    void jsonHasDesignsFieldsAndTheRatioIsBaselineOverSluice() throws Exception {
        JsonNode json = new ObjectMapper().readTree(result.toJson());

        assertThat(json.get("workload").asText()).isEqualTo("etl");
        assertThat(json.get("items").asLong()).isEqualTo(10_000);
        assertThat(json.get("rows").asLong()).isEqualTo(345_638);
        assertThat(json.get("seconds").asDouble()).isEqualTo(2.0);
        assertThat(json.get("items_per_s").asDouble()).isEqualTo(5_000.0);
        assertThat(json.get("rows_per_s").asDouble()).isEqualTo(172_819.0);
        assertThat(json.get("peak_heap_mb").asLong()).isEqualTo(812);
        assertThat(json.get("baseline").get("name").asText()).isEqualTo("direct-jdbc-batch-500");
        assertThat(json.get("baseline").get("seconds").asDouble()).isEqualTo(3.0);
        assertThat(json.get("ratio_vs_baseline").asDouble()).isEqualTo(1.5);
        assertThat(json.get("details").get("cold_seconds").asDouble()).isEqualTo(3.5);
        assertThat(result.toJson()).doesNotContain("\n");
    }

    @Test
    void summarySaysWhichWayTheRatioGoes() {
        StringWriter out = new StringWriter();

        result.print(new PrintWriter(out));

        assertThat(out.toString()).contains("sluice", "baseline", "1.50", "above 1 sluice is faster", "cold_seconds");
    }

    @Test
    void headlineNumbersSitAtTheTopLevelAndCannotReplaceDesignsFields() throws Exception {
        BenchResult backfill = new BenchResult("backfill", 100, 5_000, 10.0, 300, "coordinator-8-workers", 20.0, Map.of(),
                Map.of("rate_limit_violations", 0, "seconds", 99));
        JsonNode json = new ObjectMapper().readTree(backfill.toJson());

        assertThat(json.get("rate_limit_violations").asLong()).isZero();
        assertThat(json.get("seconds").asDouble()).isEqualTo(10.0);
    }

    @Test
    void aSkippedBaselineIsSaidSoNotDividedBy() {
        BenchResult heapRun = new BenchResult("backfill", 200, 666_262, 120.0, 480, "skipped (--no-baseline)", 0, Map.of());
        StringWriter out = new StringWriter();

        heapRun.print(new PrintWriter(out));

        assertThat(out.toString()).contains("baseline  not run (skipped (--no-baseline))").doesNotContain("Infinity");
    }

    @Test
    void eachFurtherBaselineIsListedWithItsOwnRatio() throws Exception {
        BenchResult two = new BenchResult("etl", 10_000, 345_638, 2.0, 812.4, "from-extended-json", 4.0, Map.of(), Map.of(),
                java.util.List.of(new BenchResult.Baseline("from-bson", 3.0, Map.of("cold_seconds", 5.0))));
        JsonNode json = new ObjectMapper().readTree(two.toJson());

        assertThat(json.get("ratio_vs_baseline").asDouble()).isEqualTo(2.0);
        assertThat(json.get("baselines")).hasSize(2);
        assertThat(json.get("baselines").get(1).get("name").asText()).isEqualTo("from-bson");
        assertThat(json.get("baselines").get(1).get("ratio_vs_baseline").asDouble()).isEqualTo(1.5);
        StringWriter out = new StringWriter();
        two.print(new PrintWriter(out));
        assertThat(out.toString()).contains("from-bson", "1.50");
    }

    @Test
    void theChartShowsRowsPerSecondOfSluiceAndEveryBaseline() {
        BenchResult two = new BenchResult("etl", 10_000, 300_000, 2.0, 800, "from-extended-json", 4.0, Map.of(), Map.of(),
                java.util.List.of(new BenchResult.Baseline("from-bson", 3.0, Map.of())));

        io.sluice.bench.chart.Chart chart = PathChart.rowsPerSecond(two, "ETL", "users", "rows/s");

        assertThat(chart.series().keySet()).containsExactly("sluice", "from-extended-json", "from-bson");
        assertThat(chart.series().get("sluice")).containsExactly(150_000.0);
        assertThat(chart.series().get("from-extended-json")).containsExactly(75_000.0);
        assertThat(chart.series().get("from-bson")).containsExactly(100_000.0);
    }
}
