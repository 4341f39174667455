package io.sluice.bench.chart;

/**
 * The y axis: from 0 to a "nice" top (1, 2, 2.5 or 5 times a power of ten) at or above the largest
 * value, in steps of that size, so the ticks read as round numbers. Starting at 0 keeps bar heights
 * proportional to the values: no truncated axis that makes a 5% difference look like 2x.
 */
record Scale(double top, double step) {

    private static final int TARGET_TICKS = 5;

    static Scale upTo(double max) {
        if (max <= 0) return new Scale(1, 0.2);
        double rough = max / TARGET_TICKS;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= rough) {
                step = m * magnitude;
                break;
            }
        }
        double top = Math.ceil(max / step - 1e-9) * step;
        return new Scale(top, step);
    }

    /** The height in plot units of {@code value}, {@code plotHeight} being the height of {@link #top}. */
    double height(double value, double plotHeight) {
        return value / top * plotHeight;
    }

    int ticks() {
        return (int) Math.round(top / step);
    }
}
