package io.sluice.bench.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chart of benchmark numbers: a value per (x, series), drawn as grouped bars (one bar per
 * series at each x) or as lines (one line per series through the x values). Consumes the numbers a
 * benchmark measured; produces a self-contained SVG (no scripts, no fonts to fetch, no library)
 * with a title, axis labels, a legend and every value written beside its bar or point, so the
 * picture never claims more than the numbers.
 *
 * <p>Validated on construction: at least one x and one series, every series one value per x, each
 * value finite and at least 0, or {@link Double#NaN} for "not measured" (drawn as an empty bar
 * labelled {@code n/a}, a gap in a line). Series keep their insertion order, which is the legend's.
 *
 * <pre>{@code
 * Chart.bars("appends/s by clients", "clients", "appends/s", List.of("1", "16", "64"),
 *         Map.of("sluice", new double[] {900, 5200, 8100})).writeSvg(Path.of("dcb.svg"));
 * }</pre>
 * Several charts go into one file with {@link Figure}.
 *
 * @param kind   bars or lines
 * @param title  the chart's heading
 * @param xLabel what the x values are (e.g. {@code clients})
 * @param yLabel what the values are, with their unit (e.g. {@code appends/s})
 * @param xs     the x values, as they are to be printed, left to right
 * @param series each series' name and its values, one per x
 */
public record Chart(Kind kind, String title, String xLabel, String yLabel, List<String> xs, Map<String, double[]> series) {

    public enum Kind { BARS, LINES }

    public Chart {
        if (kind == null || title == null || xLabel == null || yLabel == null) throw new IllegalArgumentException("kind and labels must be given");
        xs = List.copyOf(xs);
        if (xs.isEmpty()) throw new IllegalArgumentException("a chart needs at least one x value");
        if (series.isEmpty()) throw new IllegalArgumentException("a chart needs at least one series");
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            double[] values = s.getValue();
            if (values.length != xs.size()) {
                throw new IllegalArgumentException("series " + s.getKey() + " has " + values.length + " values for " + xs.size() + " x values");
            }
            for (double v : values) {
                if (!Double.isNaN(v) && (Double.isInfinite(v) || v < 0)) {
                    throw new IllegalArgumentException("series " + s.getKey() + " has " + v + ": values must be finite and >= 0 (NaN: not measured)");
                }
            }
            copy.put(s.getKey(), values.clone());
        }
        series = Collections.unmodifiableMap(copy);
    }

    /** Grouped bars: at each x, one bar per series, side by side. */
    public static Chart bars(String title, String xLabel, String yLabel, List<String> xs, Map<String, double[]> series) {
        return new Chart(Kind.BARS, title, xLabel, yLabel, xs, series);
    }

    /** One line per series through its values at the x values (for latencies, where bars crowd). */
    public static Chart lines(String title, String xLabel, String yLabel, List<String> xs, Map<String, double[]> series) {
        return new Chart(Kind.LINES, title, xLabel, yLabel, xs, series);
    }

    /** The largest measured value, 0 when none was measured. */
    double max() {
        double max = 0;
        for (double[] values : series.values()) {
            for (double v : values) if (!Double.isNaN(v)) max = Math.max(max, v);
        }
        return max;
    }

    /** This chart alone as an SVG document. */
    public String svg() {
        return Figure.of(this).svg();
    }

    /** Writes {@link #svg()} to {@code file} (UTF-8), replacing it; creates missing parent directories. */
    public void writeSvg(Path file) throws IOException {
        Figure.of(this).writeSvg(file);
    }
}
