package io.sluice.bench.chart;

/** The fixed geometry of one panel, in SVG user units: one place to change the look. */
final class Layout {

    static final int WIDTH = 760;
    static final int HEIGHT = 400;
    static final int LEFT = 80;
    /** Room for the legend right of the plot. */
    static final int RIGHT = 190;
    static final int TOP = 50;
    static final int BOTTOM = 60;
    static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    /** Part of each x's slot the bars fill; the rest separates the groups. */
    static final double GROUP_FILL = 0.8;

    /** Colour-blind-safe (Okabe-Ito), in legend order; repeats after the last. */
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

    private Layout() {
    }

    static String colour(int series) {
        return COLOURS[series % COLOURS.length];
    }
}
