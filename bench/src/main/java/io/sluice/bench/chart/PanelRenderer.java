package io.sluice.bench.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws one {@link Chart} as a panel of an SVG document at a given vertical offset. Every bar is a
 * {@code <rect class="bar">} and every line point a {@code <circle class="point">}, each carrying
 * {@code data-x}, {@code data-series} and {@code data-value}, so tests and readers can check the
 * picture against the numbers.
 */
final class PanelRenderer {

    private final Chart chart;
    private final StringBuilder out;
    private final Scale scale;

    PanelRenderer(Chart chart, StringBuilder out) {
        this.chart = chart;
        this.out = out;
        this.scale = Scale.upTo(chart.max());
    }

    void render(int offsetY, int width) {
        out.append("<g class=\"panel\" transform=\"translate(0,").append(offsetY).append(")\">\n");
        text(width / 2.0, 28, "middle", "font-size=\"16\" font-weight=\"bold\"", chart.title());
        axes();
        if (chart.kind() == Chart.Kind.BARS) bars(); else lines();
        legend();
        out.append("</g>\n");
    }

    private double bottom() {
        return Layout.TOP + Layout.PLOT_HEIGHT;
    }

    private double slot() {
        return (double) Layout.PLOT_WIDTH / chart.xs().size();
    }

    private double y(double value) {
        return bottom() - scale.height(value, Layout.PLOT_HEIGHT);
    }

    private void axes() {
        for (int t = 0; t <= scale.ticks(); t++) {
            double value = t * scale.step();
            double y = y(value);
            out.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    Layout.LEFT, y, Layout.LEFT + Layout.PLOT_WIDTH, y));
            text(Layout.LEFT - 6, y + 4, "end", "", Numbers.label(value));
        }
        out.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>%n",
                Layout.LEFT, Layout.TOP, Layout.LEFT, bottom()));
        out.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>%n",
                Layout.LEFT, bottom(), Layout.LEFT + Layout.PLOT_WIDTH, bottom()));
        for (int i = 0; i < chart.xs().size(); i++) {
            text(Layout.LEFT + slot() * (i + 0.5), bottom() + 18, "middle", "", chart.xs().get(i));
        }
        text(Layout.LEFT + Layout.PLOT_WIDTH / 2.0, bottom() + 42, "middle", "class=\"x-label\"", chart.xLabel());
        double midY = Layout.TOP + Layout.PLOT_HEIGHT / 2.0;
        text(18, midY, "middle", String.format(Locale.ROOT, "class=\"y-label\" transform=\"rotate(-90 18 %.1f)\"", midY), chart.yLabel());
    }

    private void bars() {
        int n = chart.series().size();
        double width = slot() * Layout.GROUP_FILL / n;
        int s = 0;
        for (Map.Entry<String, double[]> series : chart.series().entrySet()) {
            for (int i = 0; i < chart.xs().size(); i++) {
                double value = series.getValue()[i];
                double x = Layout.LEFT + slot() * i + slot() * (1 - Layout.GROUP_FILL) / 2 + width * s;
                double height = Double.isNaN(value) ? 0 : scale.height(value, Layout.PLOT_HEIGHT);
                out.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" data-x=\"%s\" data-series=\"%s\" data-value=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n",
                        Xml.escape(chart.xs().get(i)), Xml.escape(series.getKey()), Numbers.data(value), x, bottom() - height, width, height,
                        Layout.colour(s)));
                text(x + width / 2, bottom() - height - 4, "middle", "class=\"value\" font-size=\"10\"", Numbers.label(value));
            }
            s++;
        }
    }

    private void lines() {
        int s = 0;
        for (Map.Entry<String, double[]> series : chart.series().entrySet()) {
            String colour = Layout.colour(s++);
            List<String> run = new ArrayList<>();
            for (int i = 0; i < chart.xs().size(); i++) {
                double value = series.getValue()[i];
                if (Double.isNaN(value)) {
                    polyline(run, colour);
                    run = new ArrayList<>();
                    continue;
                }
                double x = Layout.LEFT + slot() * (i + 0.5);
                run.add(String.format(Locale.ROOT, "%.2f,%.2f", x, y(value)));
                out.append(String.format(Locale.ROOT,
                        "<circle class=\"point\" data-x=\"%s\" data-series=\"%s\" data-value=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\" fill=\"%s\"/>%n",
                        Xml.escape(chart.xs().get(i)), Xml.escape(series.getKey()), Numbers.data(value), x, y(value), colour));
                text(x + 6, y(value) - 6, "start", "class=\"value\" font-size=\"10\"", Numbers.label(value));
            }
            polyline(run, colour);
        }
    }

    private void polyline(List<String> points, String colour) {
        if (points.size() < 2) return;
        out.append("<polyline class=\"line\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                .append(String.join(" ", points)).append("\"/>\n");
    }

    private void legend() {
        double x = Layout.LEFT + Layout.PLOT_WIDTH + 16;
        int s = 0;
        for (String name : chart.series().keySet()) {
            double y = Layout.TOP + 8 + 20 * s;
            out.append(String.format(Locale.ROOT, "<rect class=\"legend-key\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 10, Layout.colour(s)));
            text(x + 18, y, "start", "class=\"legend\"", name);
            s++;
        }
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor));
        if (!attributes.isEmpty()) out.append(' ').append(attributes);
        out.append('>').append(Xml.escape(content)).append("</text>\n");
    }
}
