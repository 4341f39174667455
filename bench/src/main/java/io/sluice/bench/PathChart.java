package io.sluice.bench;

import io.sluice.bench.chart.Chart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart of a {@link BenchResult}: rows per second of sluice and of every baseline that ran, one
 * bar each, from the result's own numbers (so chart, summary and JSON can never disagree).
 */
public final class PathChart {

    private PathChart() {
    }

    /**
     * @param title  the heading, e.g. {@code "ETL: 10,000 users"}
     * @param xLabel what the one x value is, e.g. {@code "users"}
     * @param unit   what a row is, for the y axis, e.g. {@code "rows/s"}
     */
    public static Chart rowsPerSecond(BenchResult result, String title, String xLabel, String unit) {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("sluice", new double[] {result.rowsPerSecond()});
        for (BenchResult.Baseline b : result.baselines()) series.put(b.name(), new double[] {result.rows() / b.seconds()});
        return Chart.bars(title, xLabel, unit + " (higher is faster)", List.of(String.format("%,d", result.items())), series);
    }
}
