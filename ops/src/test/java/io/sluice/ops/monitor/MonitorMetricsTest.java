package io.sluice.ops.monitor;

import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.PrometheusText.Sample;
import io.sluice.ops.monitor.MonitorState.History;
import io.sluice.ops.monitor.MonitorState.StageView;
import io.sluice.ops.monitor.MonitorState.WorkloadView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorMetricsTest {

    @Test
    void eachGroupHasItsLagAndExactlyOneStatusTheSameAsThePage() {
        MonitorState state = new MonitorState(0, List.of(
                new WorkloadView("etl", "ETL", List.of(
                        stage("sluice-etl-flattener", 9, 1, "STALLED"),
                        stage("sluice-etl-sink", 11, 0, "ERROR"))),
                new WorkloadView("other", "Other", List.of(stage("sluice-etl-sink", 11, 0, "ERROR"), stage("q\"x", 0, 0, "UNKNOWN")))),
                null, null, List.of(), List.of());
        List<Sample> samples = PrometheusText.parse(MonitorMetrics.render(state));

        assertThat(samples).filteredOn(s -> s.name().equals("sluice_group_lag"))
                .extracting(s -> s.label("group") + "=" + (long) s.value())
                .containsExactly("sluice-etl-flattener=9", "sluice-etl-sink=11", "q\"x=0");
        assertThat(samples).filteredOn(s -> s.name().equals("sluice_group_status") && s.value() == 1)
                .extracting(s -> s.label("group") + "=" + s.label("status"))
                .containsExactly("sluice-etl-flattener=STALLED", "sluice-etl-sink=ERROR", "q\"x=UNKNOWN");
        assertThat(samples).filteredOn(s -> s.name().equals("sluice_group_status"))
                .hasSize(3 * MonitorMetrics.STATUSES.size());
        assertThat(MonitorMetrics.STATUSES).contains("ERROR", "IDLE", "STALLED", "LAGGING", "OK", "UNKNOWN");
    }

    private static StageView stage(String group, long lag, int members, String status) {
        return new StageView("stage", group, List.of("in"), List.of("out"), members, lag, 0.0, status, null, "kafka", History.EMPTY);
    }
}
