package io.sluice.bench.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stack.fault.FaultRow;
import io.sluice.stack.fault.Losses;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak found: one line per fault injected as it happens, and at the end the fault table, one
 * {@link FaultRow} per workload (items sent, most in flight at a fault, faults it went through, lost,
 * duplicated, longest recovery, restarts), and the same as one JSON object.
 */
public final class SoakReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One fault injected.
     *
     * @param at       from the start of the load
     * @param detail   the component killed, or the connections cut and refused
     * @param inFlight per workload, its items not yet in PostgreSQL when the fault began (-1: unknown)
     * @param hit      the workloads the fault touched (all, but for a component's SIGKILL)
     * @param injected faults injected: 1, or connections cut and attempts refused
     * @param recovery per workload, from the fault's end until its count in PostgreSQL moved again
     */
    public record Event(int index, FaultKind kind, Duration at, String detail, Map<String, Long> inFlight, List<String> hit,
                        long injected, Map<String, Duration> recovery) {

        public String line() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "SOAK fault %d at %s | %s%s | in flight:",
                    index + 1, clock(at), kind.label(), detail.isEmpty() ? "" : " (" + detail + ")"));
            inFlight.forEach((w, n) -> s.append(' ').append(w).append(' ').append(n < 0 ? "?" : Long.toString(n)));
            s.append(" | ").append(injected).append(" injected | recovery:");
            recovery.forEach((w, d) -> s.append(String.format(Locale.ROOT, " %s %.1f s", w, d.toMillis() / 1000.0)));
            return s.toString();
        }
    }

    /** A workload's end: what its checks found, and its components' own restarts. */
    public record Outcome(String workload, long sent, Losses losses, List<String> problems, long restarts) {
    }

    private final Duration length;
    private final List<Event> events = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    public SoakReport(Duration length) {
        this.length = length;
    }

    public void add(Event event) {
        events.add(event);
    }

    public void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    /** A broken guarantee seen during the run (a workload that did not recover from a fault). */
    public void problem(String finding) {
        findings.add(finding);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The fault table: one row per workload. */
    public List<FaultRow> rows() {
        List<FaultRow> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            long maxInFlight = 0;
            long faults = 0;
            Duration recovery = Duration.ZERO;
            for (Event e : events) {
                if (!e.hit().contains(o.workload())) continue;
                faults++;
                maxInFlight = Math.max(maxInFlight, e.inFlight().getOrDefault(o.workload(), 0L));
                Duration r = e.recovery().getOrDefault(o.workload(), Duration.ZERO);
                if (r.compareTo(recovery) > 0) recovery = r;
            }
            rows.add(new FaultRow(o.workload(), "soak " + length.toMinutes() + " min, " + faults + " faults", o.sent(), maxInFlight,
                    faults, o.losses().lost(), o.losses().duplicated(), recovery, o.restarts()));
        }
        return rows;
    }

    /** Nothing lost, nothing duplicated, no other guarantee broken. */
    public boolean passed() {
        return !outcomes.isEmpty() && findings.isEmpty()
                && outcomes.stream().allMatch(o -> o.losses().none() && o.problems().isEmpty());
    }

    public List<String> problems() {
        List<String> all = new ArrayList<>(findings);
        for (Outcome o : outcomes) o.problems().forEach(p -> all.add(o.workload() + ": " + p));
        return all;
    }

    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "soak");
        out.put("minutes", length.toMinutes());
        out.put("passed", passed());
        List<JsonNode> table = new ArrayList<>();
        for (FaultRow row : rows()) table.add(parse(row.json()));
        out.put("table", table);
        List<Map<String, Object>> faults = new ArrayList<>();
        for (Event e : events) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("fault", e.kind().label());
            f.put("detail", e.detail());
            f.put("atSeconds", e.at().toSeconds());
            f.put("inFlight", e.inFlight());
            f.put("injected", e.injected());
            Map<String, Double> recovery = new LinkedHashMap<>();
            e.recovery().forEach((w, d) -> recovery.put(w, d.toMillis() / 1000.0));
            f.put("recoverySeconds", recovery);
            faults.add(f);
        }
        out.put("faults", faults);
        out.put("problems", problems());
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers and strings must serialize", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("FaultRow.json() is JSON", e);
        }
    }

    /** m:ss */
    static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
