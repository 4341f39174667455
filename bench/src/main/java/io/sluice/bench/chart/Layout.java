package io.sluice.bench.chart;

/** The fixed geometry of one panel, in SVG user units: one place to change the look. */
final class Layout {

    static final int HEIGHT = 400;
    static final int LEFT = 80;
    static final int PLOT_WIDTH = 490;
    /** The least room for the legend right of the plot. */
    static final int MIN_LEGEND = 190;
    /** Room per character of a legend entry at 12 px sans-serif, generously (no font metrics without a renderer). */
    static final double CHAR_WIDTH = 7.2;
    static final int TOP = 50;
    static final int BOTTOM = 60;
    static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    /** Part of each x's slot the bars fill; the rest separates the groups. */
    static final double GROUP_FILL = 0.8;

    /** Colour-blind-safe (Okabe-Ito), in legend order; repeats after the last. */
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

    private Layout() {
    }

    /** The figure's width: the plot and a legend wide enough for the longest series name of any chart. */
    static int width(Iterable<Chart> charts) {
        int longest = 0;
        for (Chart chart : charts) {
            for (String name : chart.series().keySet()) longest = Math.max(longest, name.length());
        }
        return LEFT + PLOT_WIDTH + Math.max(MIN_LEGEND, (int) Math.ceil(40 + CHAR_WIDTH * longest));
    }

    static String colour(int series) {
        return COLOURS[series % COLOURS.length];
    }
}
