package io.sluice.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The end of a demo run: per workload what it did and whether PostgreSQL agrees, with the run's
 * timings. Printed as a table, or as one JSON object for scripts.
 *
 * @param database         the PostgreSQL database the run wrote to
 * @param stackSeconds     starting the stack (broker, registry, PostgreSQL)
 * @param workloadsSeconds from the first workload's start to the last one's end
 * @param totalSeconds     the whole command, stack start and checks included
 * @param monitorUrl       where the live monitor page was, if one ran
 * @param results          one per workload
 */
public record DemoSummary(String database, double stackSeconds, double workloadsSeconds, double totalSeconds, Optional<String> monitorUrl,
                          List<WorkloadResult> results) {

    public DemoSummary {
        results = List.copyOf(results);
    }

    /** True when every check of every workload matched. */
    public boolean ok() {
        return results.stream().allMatch(WorkloadResult::ok);
    }

    public void printTable(PrintWriter out) {
        out.printf(Locale.ROOT, "%-9s %10s %10s %8s %5s %10s  %s%n", "workload", "items", "rows", "seconds", "dlq", "violations",
                "PostgreSQL");
        for (WorkloadResult r : results) {
            out.printf(Locale.ROOT, "%-9s %,10d %,10d %8.1f %5s %10s  %s%n", r.workload(), r.items(), r.rows(), r.seconds(),
                    orDash(r.dlq()), orDash(r.violations()), r.ok() ? "matches" : "MISMATCH");
        }
        out.printf(Locale.ROOT, "stack start %.1f s, workloads %.1f s, total %.1f s%n", stackSeconds, workloadsSeconds, totalSeconds);
        for (WorkloadResult r : results) {
            for (WorkloadResult.Check c : r.mismatches()) {
                out.printf("MISMATCH %s: %s: expected %s, PostgreSQL has %s%n", r.workload(), c.what(), c.expected(), c.actual());
            }
        }
        if (ok()) out.println("Every count above matches PostgreSQL.");
        out.flush();
    }

    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("ok", ok());
        root.put("database", database);
        root.put("stack_seconds", round(stackSeconds));
        root.put("workloads_seconds", round(workloadsSeconds));
        root.put("total_seconds", round(totalSeconds));
        monitorUrl.ifPresent(url -> root.put("monitor_url", url));
        ArrayNode workloads = root.putArray("workloads");
        for (WorkloadResult r : results) {
            ObjectNode w = workloads.addObject();
            w.put("workload", r.workload());
            w.put("items", r.items());
            w.put("rows", r.rows());
            w.put("seconds", round(r.seconds()));
            if (r.dlq() >= 0) w.put("dlq", r.dlq()); else w.putNull("dlq");
            if (r.violations() >= 0) w.put("rate_limit_violations", r.violations()); else w.putNull("rate_limit_violations");
            w.put("ok", r.ok());
            ArrayNode checks = w.putArray("checks");
            for (WorkloadResult.Check c : r.checks()) {
                checks.addObject().put("what", c.what()).put("expected", c.expected()).put("actual", c.actual()).put("ok", c.ok());
            }
        }
        return root.toString();
    }

    private static String orDash(long value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%,d", value);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
