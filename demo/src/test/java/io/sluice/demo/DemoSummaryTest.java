package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSummaryTest {

    private static final WorkloadResult MATCHING = new WorkloadResult("etl", 100, 3_400, 2.5, 0, -1,
            List.of(WorkloadResult.Check.of("users rows", 100, 100)));
    private static final WorkloadResult SHORT = new WorkloadResult("backfill", 50, 990, 4.0, 2, 0,
            List.of(WorkloadResult.Check.of("DIDs DONE", 50, 48), new WorkloadResult.Check("checksum", "ab", "ab")));

    @Test
    void aCountThatDiffersIsAMismatchNamedInTheTable() {
        DemoSummary summary = new DemoSummary("sluice_demo_x", 10, 4, 14, Optional.empty(), List.of(MATCHING, SHORT));
        StringWriter out = new StringWriter();
        summary.printTable(new PrintWriter(out));

        assertThat(summary.ok()).isFalse();
        assertThat(out.toString())
                .contains("etl", "3,400", "matches")
                .contains("MISMATCH backfill: DIDs DONE: expected 50, PostgreSQL has 48")
                .doesNotContain("checksum: expected")
                .doesNotContain("Every count above matches");
    }

    @Test
    void theJsonHasEveryNumberAndCheck() throws Exception {
        DemoSummary summary = new DemoSummary("sluice_demo_x", 10.04, 4, 14, Optional.of("http://127.0.0.1:1/"), List.of(MATCHING));
        JsonNode json = new ObjectMapper().readTree(summary.toJson());

        assertThat(summary.ok()).isTrue();
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("database").asText()).isEqualTo("sluice_demo_x");
        assertThat(json.get("stack_seconds").asDouble()).isEqualTo(10.0);
        assertThat(json.get("monitor_url").asText()).isEqualTo("http://127.0.0.1:1/");
        JsonNode etl = json.get("workloads").get(0);
        assertThat(etl.get("rows").asLong()).isEqualTo(3_400);
        assertThat(etl.get("rate_limit_violations").isNull()).isTrue();
        assertThat(etl.get("checks").get(0).get("ok").asBoolean()).isTrue();
    }
}
