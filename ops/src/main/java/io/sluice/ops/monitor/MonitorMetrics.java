package io.sluice.ops.monitor;

import io.sluice.ops.lag.GroupStatus.Status;
import io.sluice.ops.monitor.MonitorState.StageView;
import io.sluice.ops.monitor.MonitorState.WorkloadView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitor's latest sample in the Prometheus text format, for {@code /metrics}: per consumer group,
 * its lag, rate, members and status, the same status the page shows. The status is one gauge per
 * possible value (1 for the current one, 0 for the others), so an alert is
 * {@code sluice_group_status{status="STALLED"} == 1}. A group two workloads share is listed once.
 */
final class MonitorMetrics {

    /** The page's statuses, and UNKNOWN for a group the last sample could not read. */
    static final List<String> STATUSES;

    static {
        List<String> all = new ArrayList<>();
        for (Status s : Status.values()) all.add(s.name());
        all.add("UNKNOWN");
        STATUSES = List.copyOf(all);
    }

    private MonitorMetrics() {
    }

    static String render(MonitorState state) {
        Map<String, StageView> byGroup = new LinkedHashMap<>();
        for (WorkloadView w : state.workloads()) {
            for (StageView s : w.stages()) byGroup.putIfAbsent(s.group(), s);
        }
        StringBuilder out = new StringBuilder();
        gauge(out, "sluice_group_lag", "Records the group has yet to read, to the last stable offset.");
        byGroup.forEach((g, s) -> sample(out, "sluice_group_lag", g, null, s.lag()));
        gauge(out, "sluice_group_rate", "Committed offsets per second over the last interval.");
        byGroup.forEach((g, s) -> sample(out, "sluice_group_rate", g, null, s.ratePerSecond()));
        gauge(out, "sluice_group_members", "Active members of the group.");
        byGroup.forEach((g, s) -> sample(out, "sluice_group_members", g, null, s.members()));
        gauge(out, "sluice_group_status", "1 for the group's status (ERROR, IDLE, STALLED, LAGGING, OK, UNKNOWN), 0 for the others.");
        byGroup.forEach((g, s) -> {
            for (String status : STATUSES) sample(out, "sluice_group_status", g, status, status.equals(s.status()) ? 1 : 0);
        });
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder out, String name, String group, String status, double value) {
        out.append(name).append("{group=\"").append(escape(group)).append('"');
        if (status != null) out.append(",status=\"").append(status).append('"');
        out.append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) out.append((long) value);
        else out.append(value);
        out.append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
