package io.sluice.bench.chart;

import java.util.Locale;

/** How values are printed on a chart: readable labels, and exact data attributes. */
final class Numbers {

    private Numbers() {
    }

    /** Three significant figures at most below 100, whole numbers with separators above. */
    static String label(double value) {
        if (Double.isNaN(value)) return "n/a";
        double abs = Math.abs(value);
        if (abs >= 100) return String.format(Locale.ROOT, "%,.0f", value);
        if (abs >= 10) return String.format(Locale.ROOT, "%.1f", value);
        if (abs == 0) return "0";
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** The value as Java prints a double, for data attributes; {@code NaN} when not measured. */
    static String data(double value) {
        return Double.toString(value);
    }
}
