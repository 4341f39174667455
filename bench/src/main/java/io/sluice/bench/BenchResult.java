package io.sluice.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one {@code sluice bench} workload, in the form DESIGN.md fixes for every workload:
 * {@code {"workload", "items", "rows", "seconds", "items_per_s", "rows_per_s", "peak_heap_mb",
 * "baseline": {"name", "seconds"}, "ratio_vs_baseline"}} plus workload-specific {@code details}.
 *
 * <p>{@code ratio_vs_baseline} is baseline seconds / sluice seconds: above 1 sluice was faster.
 *
 * @param workload     {@code etl}, {@code backfill}, {@code dcb}
 * @param items        units of work (users, DIDs, commands)
 * @param rows         rows the run left in PostgreSQL
 * @param seconds      sluice's measured wall time
 * @param peakHeapMb   peak used heap of this JVM during the measured run
 * @param baselineName the in-process baseline's name
 * @param baselineSeconds its wall time on the same data in the same run
 * @param details      anything else worth keeping (cold times, settings), printed sorted by key
 * @param headline     workload-specific numbers the issue asks for beside DESIGN.md's (e.g. the
 *                     backfill's {@code rate_limit_violations}), at the top level of the JSON
 * @param otherBaselines further baselines measured on the same data in the same run, each printed
 *                     with its own ratio (the JSON's {@code baselines} lists the first one and these)
 */
public record BenchResult(String workload, long items, long rows, double seconds, double peakHeapMb,
                          String baselineName, double baselineSeconds, Map<String, Object> details,
                          Map<String, Object> headline, List<Baseline> otherBaselines) {

    /**
     * One more baseline: its name, its wall time on the same data, and what else is worth keeping.
     * Its ratio is {@code seconds} / sluice's seconds, as for the first baseline.
     */
    public record Baseline(String name, double seconds, Map<String, Object> details) {
        public Baseline {
            details = Map.copyOf(details);
        }
    }

    public BenchResult {
        otherBaselines = List.copyOf(otherBaselines);
    }

    public BenchResult(String workload, long items, long rows, double seconds, double peakHeapMb, String baselineName,
                       double baselineSeconds, Map<String, Object> details, Map<String, Object> headline) {
        this(workload, items, rows, seconds, peakHeapMb, baselineName, baselineSeconds, details, headline, List.of());
    }

    public BenchResult(String workload, long items, long rows, double seconds, double peakHeapMb, String baselineName,
                       double baselineSeconds, Map<String, Object> details) {
        this(workload, items, rows, seconds, peakHeapMb, baselineName, baselineSeconds, details, Map.of());
    }

    /** Every baseline that ran, the first one first; empty when it was skipped (0 seconds). */
    public List<Baseline> baselines() {
        List<Baseline> all = new ArrayList<>();
        if (baselineSeconds > 0) all.add(new Baseline(baselineName, baselineSeconds, Map.of()));
        all.addAll(otherBaselines);
        return all;
    }

    public static final String BASELINE_ETL = "direct-jdbc-batch-500";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public double itemsPerSecond() {
        return items / seconds;
    }

    public double rowsPerSecond() {
        return rows / seconds;
    }

    public double ratioVsBaseline() {
        return baselineSeconds / seconds;
    }

    /** The one-line JSON object of DESIGN.md's benchmark section. */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", workload);
        out.put("items", items);
        out.put("rows", rows);
        out.put("seconds", round(seconds, 3));
        out.put("items_per_s", round(itemsPerSecond(), 1));
        out.put("rows_per_s", round(rowsPerSecond(), 1));
        out.put("peak_heap_mb", Math.round(peakHeapMb));
        out.put("baseline", Map.of("name", baselineName, "seconds", round(baselineSeconds, 3)));
        out.put("ratio_vs_baseline", round(ratioVsBaseline(), 3));
        if (!otherBaselines.isEmpty()) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (Baseline b : baselines()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", b.name());
                entry.put("seconds", round(b.seconds(), 3));
                entry.put("ratio_vs_baseline", round(b.seconds() / seconds, 3));
                if (!b.details().isEmpty()) entry.put("details", new TreeMap<>(b.details()));
                all.add(entry);
            }
            out.put("baselines", all);
        }
        new TreeMap<>(headline).forEach(out::putIfAbsent);
        out.put("details", new TreeMap<>(details));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers and strings must serialize", e);
        }
    }

    /** The human summary. */
    public void print(PrintWriter out) {
        out.printf("%s benchmark: %,d items, %,d rows%n", workload, items, rows);
        out.printf("  sluice    %7.2f s  %,10.0f items/s  %,10.0f rows/s  peak heap %,d MB%n", seconds, itemsPerSecond(),
                rowsPerSecond(), Math.round(peakHeapMb));
        if (baselineSeconds > 0) {
            out.printf("  baseline  %7.2f s  %,10.0f items/s  %,10.0f rows/s  (%s)%n", baselineSeconds, items / baselineSeconds,
                    rows / baselineSeconds, baselineName);
            out.printf("  ratio     %7.2f    (baseline seconds / sluice seconds; above 1 sluice is faster)%n", ratioVsBaseline());
        } else {
            out.printf("  baseline  not run (%s)%n", baselineName);
        }
        for (Baseline b : otherBaselines) {
            out.printf("  baseline  %7.2f s  %,10.0f items/s  %,10.0f rows/s  (%s)%n", b.seconds(), items / b.seconds(),
                    rows / b.seconds(), b.name());
            out.printf("  ratio     %7.2f    (vs %s)%n", b.seconds() / seconds, b.name());
            new TreeMap<>(b.details()).forEach((k, v) -> out.printf("    %-20s %s%n", k, v));
        }
        new TreeMap<>(headline).forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
        new TreeMap<>(details).forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
        out.flush();
    }

    private static double round(double value, int places) {
        double f = Math.pow(10, places);
        return Math.round(value * f) / f;
    }
}
