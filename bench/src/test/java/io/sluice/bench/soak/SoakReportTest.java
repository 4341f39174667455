package io.sluice.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stack.fault.FaultRow;
import io.sluice.stack.fault.Losses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SoakReportTest {

    private static Map<String, Long> inFlight(long backfill, long etl, long dcb) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("backfill", backfill);
        m.put("etl", etl);
        m.put("dcb", dcb);
        return m;
    }

    private static Map<String, Duration> recovery(double backfill, double etl, double dcb) {
        Map<String, Duration> m = new LinkedHashMap<>();
        m.put("backfill", Duration.ofMillis((long) (backfill * 1000)));
        m.put("etl", Duration.ofMillis((long) (etl * 1000)));
        m.put("dcb", Duration.ofMillis((long) (dcb * 1000)));
        return m;
    }

    private static SoakReport report(Losses etlLosses) {
        SoakReport report = new SoakReport(Duration.ofMinutes(3));
        report.add(new SoakReport.Event(0, FaultKind.BROKER_RESTART, Duration.ofSeconds(40), "", inFlight(12, 40, 3),
                List.of("backfill", "etl", "dcb"), 1, recovery(4.2, 6.0, 3.1)));
        report.add(new SoakReport.Event(1, FaultKind.COMPONENT_KILL, Duration.ofSeconds(80), "etl sink", inFlight(50, 90, 8),
                List.of("etl"), 1, recovery(0.4, 9.5, 0.2)));
        report.add(new SoakReport.Outcome("backfill", 720, Losses.NONE, List.of(), 0));
        report.add(new SoakReport.Outcome("etl", 3600, etlLosses, List.of(), 1));
        report.add(new SoakReport.Outcome("dcb", 900, Losses.NONE, List.of(), 0));
        return report;
    }

    @Test
    void aWorkloadsRowCountsOnlyTheFaultsThatHitIt() {
        List<FaultRow> rows = report(Losses.NONE).rows();
        assertThat(rows).extracting(FaultRow::workload).containsExactly("backfill", "etl", "dcb");
        FaultRow backfill = rows.get(0);
        assertThat(backfill.injected()).isEqualTo(1);
        assertThat(backfill.pending()).as("most in flight at a fault that hit it").isEqualTo(12);
        assertThat(backfill.recovery()).isEqualTo(Duration.ofMillis(4200));
        FaultRow etl = rows.get(1);
        assertThat(etl.injected()).isEqualTo(2);
        assertThat(etl.pending()).isEqualTo(90);
        assertThat(etl.recovery()).isEqualTo(Duration.ofMillis(9500));
        assertThat(etl.restarts()).isEqualTo(1);
        assertThat(etl.line()).startsWith("FAULT | etl      | soak 3 min, 2 faults").contains("| 0 lost | 0 duplicated |");
    }

    @Test
    void anythingLostOrDuplicatedFailsTheSoak() {
        assertThat(report(Losses.NONE).passed()).isTrue();
        assertThat(report(new Losses(0, 1)).passed()).isFalse();
        assertThat(report(new Losses(2, 0)).passed()).isFalse();
    }

    @Test
    void aWorkloadThatDidNotRecoverFailsTheSoakEvenWithNothingLost() {
        SoakReport report = report(Losses.NONE);
        report.problem("etl: no progress in PostgreSQL within 3 min after fault 1");
        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).containsExactly("etl: no progress in PostgreSQL within 3 min after fault 1");
    }

    @Test
    void theJsonHoldsTheTableAndEveryFault() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report(new Losses(2, 0)).toJson());
        assertThat(json.get("workload").asText()).isEqualTo("soak");
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("table")).hasSize(3);
        assertThat(json.get("table").get(1).get("lost").asLong()).isEqualTo(2);
        assertThat(json.get("faults")).hasSize(2);
        assertThat(json.get("faults").get(1).get("detail").asText()).isEqualTo("etl sink");
        assertThat(json.get("faults").get(0).get("recoverySeconds").get("etl").asDouble()).isEqualTo(6.0);
    }

    @Test
    void aFaultsLineSaysWhatWasInFlightAndHowLongEachWorkloadTookToMoveAgain() {
        assertThat(report(Losses.NONE).events().get(1).line()).isEqualTo(
                "SOAK fault 2 at 1:20 | component SIGKILL (etl sink) | in flight: backfill 50 etl 90 dcb 8 | 1 injected "
                        + "| recovery: backfill 0.4 s etl 9.5 s dcb 0.2 s");
    }
}
