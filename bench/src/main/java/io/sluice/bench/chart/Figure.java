package io.sluice.bench.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One SVG file holding one or more {@link Chart}s one above the other, e.g. a benchmark's
 * throughput and its latency. The panels share the width; each has its own axes and legend.
 */
public record Figure(List<Chart> charts) {

    public Figure {
        charts = List.copyOf(charts);
        if (charts.isEmpty()) throw new IllegalArgumentException("a figure needs at least one chart");
    }

    public static Figure of(Chart... charts) {
        return new Figure(List.of(charts));
    }

    /** The SVG document (UTF-8 text, no external references). */
    public String svg() {
        StringBuilder out = new StringBuilder();
        int height = Layout.HEIGHT * charts.size();
        int width = Layout.width(charts);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < charts.size(); i++) {
            new PanelRenderer(charts.get(i), out).render(i * Layout.HEIGHT, width);
        }
        return out.append("</svg>\n").toString();
    }

    /** {@code file} if its name ends in {@code .svg} (any case); else an IllegalArgumentException saying so. */
    public static Path requireSvgName(Path file) {
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
            throw new IllegalArgumentException("a chart is written as SVG: the file name must end in .svg, got " + file);
        }
        return file;
    }

    /** Writes {@link #svg()} to {@code file}, replacing it; creates missing parent directories. */
    public void writeSvg(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, svg(), StandardCharsets.UTF_8);
    }
}
