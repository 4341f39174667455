package io.sluice.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ChartTest {

    private static final List<String> CLIENTS = List.of("1", "16", "64");

    private static Map<String, double[]> twoSeries() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("sluice", new double[] {1000, 4000, 8000});
        series.put("postgres <lock> & \"co\"", new double[] {500, 2000, 1000});
        return series;
    }

    @Test
    void theSvgParsesAsXmlAndHasOneBarPerXAndSeries() throws Exception {
        Document svg = parse(Chart.bars("appends/s", "clients", "appends/s", CLIENTS, twoSeries()).svg());

        List<Element> bars = elements(svg, "rect", "bar");
        assertThat(bars).hasSize(CLIENTS.size() * 2);
        for (String x : CLIENTS) {
            assertThat(bars).filteredOn(b -> b.getAttribute("data-x").equals(x))
                    .extracting(b -> b.getAttribute("data-series"))
                    .containsExactly("sluice", "postgres <lock> & \"co\"");
        }
    }

    @Test
    void barHeightsAreProportionalToTheValuesFromZero() throws Exception {
        Document svg = parse(Chart.bars("t", "clients", "appends/s", CLIENTS, twoSeries()).svg());

        List<Element> bars = elements(svg, "rect", "bar");
        Element largest = bars.stream().filter(b -> b.getAttribute("data-value").equals("8000.0")).findFirst().orElseThrow();
        double perUnit = height(largest) / 8000;
        for (Element bar : bars) {
            assertThat(height(bar)).isCloseTo(Double.parseDouble(bar.getAttribute("data-value")) * perUnit, within(0.02));
        }
        // Every bar stands on the same baseline, the x axis.
        double baseline = Double.parseDouble(largest.getAttribute("y")) + height(largest);
        for (Element bar : bars) {
            assertThat(Double.parseDouble(bar.getAttribute("y")) + height(bar)).isCloseTo(baseline, within(0.02));
        }
    }

    @Test
    void theAxisTopIsARoundNumberAtOrAboveTheLargestValue() {
        assertThat(Scale.upTo(8000).top()).isEqualTo(8000);
        assertThat(Scale.upTo(8100).top()).isEqualTo(10000);
        assertThat(Scale.upTo(3.7).top()).isEqualTo(4);
        assertThat(Scale.upTo(0).top()).isEqualTo(1);
        assertThat(Scale.upTo(123).step()).isEqualTo(25);
    }

    @Test
    void barsOfOneXSitSideBySideInLegendOrderAndGroupsDoNotOverlap() throws Exception {
        List<Element> bars = elements(parse(Chart.bars("t", "x", "y", CLIENTS, twoSeries()).svg()), "rect", "bar");
        List<Double> lefts = new ArrayList<>();
        for (String x : CLIENTS) {
            for (Element b : bars) if (b.getAttribute("data-x").equals(x)) lefts.add(Double.parseDouble(b.getAttribute("x")));
        }
        assertThat(lefts).isSorted();
        assertThat(lefts).doesNotHaveDuplicates();
    }

    @Test
    void eachValueTitleAxisLabelAndSeriesIsWrittenOut() throws Exception {
        Document svg = parse(Chart.bars("DCB appends", "clients", "appends/s", CLIENTS, twoSeries()).svg());
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent());

        assertThat(texts).contains("DCB appends", "clients", "appends/s", "sluice", "postgres <lock> & \"co\"", "8,000", "500");
        assertThat(elements(svg, "rect", "legend-key")).hasSize(2);
    }

    @Test
    void aLineChartHasOnePointPerMeasuredValueAndAGapForNaN() throws Exception {
        Map<String, double[]> latency = new LinkedHashMap<>();
        latency.put("sluice", new double[] {1.5, 3.0, 9.0});
        latency.put("baseline", new double[] {0.8, Double.NaN, 40.0});
        Document svg = parse(Chart.lines("p50", "clients", "ms", CLIENTS, latency).svg());

        assertThat(elements(svg, "circle", "point")).hasSize(5);
        assertThat(elements(svg, "polyline", "line")).hasSize(1); // the baseline's two points are not joined across the gap
    }

    @Test
    void aNotMeasuredBarIsEmptyAndLabelledNotAvailable() throws Exception {
        Document svg = parse(Chart.bars("t", "x", "y", List.of("a"), Map.of("s", new double[] {Double.NaN})).svg());

        Element bar = elements(svg, "rect", "bar").getFirst();
        assertThat(height(bar)).isZero();
        assertThat(svg.getDocumentElement().getTextContent()).contains("n/a");
    }

    @Test
    void aFigureStacksItsChartsAndWritesOneFile(@TempDir Path dir) throws Exception {
        Chart throughput = Chart.bars("appends/s", "clients", "appends/s", CLIENTS, twoSeries());
        Chart latency = Chart.lines("p50", "clients", "ms", CLIENTS, Map.of("sluice", new double[] {1, 2, 3}));
        Path file = dir.resolve("sub/dcb.svg");

        Figure.of(throughput, latency).writeSvg(file);

        Document svg = parse(Files.readString(file));
        assertThat(elements(svg, "g", "panel")).hasSize(2);
        assertThat(elements(svg, "rect", "bar")).hasSize(6);
        assertThat(elements(svg, "circle", "point")).hasSize(3);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Chart.bars("t", "x", "y", CLIENTS, Map.of("s", new double[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 values for 3 x values");
        assertThatThrownBy(() -> Chart.bars("t", "x", "y", CLIENTS, Map.of("s", new double[] {1, -2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Chart.bars("t", "x", "y", List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChartKeepsItsOwnCopyOfTheValues() throws Exception {
        double[] values = {1, 2, 3};
        Chart chart = Chart.bars("t", "x", "y", CLIENTS, Map.of("s", values));
        values[2] = 300;

        assertThat(elements(parse(chart.svg()), "rect", "bar")).extracting(b -> b.getAttribute("data-value"))
                .containsExactly("1.0", "2.0", "3.0");
    }

    @Test
    void theFigureIsWideEnoughForTheLongestSeriesName() throws Exception {
        String longName = "direct-jdbc-batch-500-from-extended-json";
        Document svg = parse(Chart.bars("t", "x", "y", List.of("a"), Map.of(longName, new double[] {1})).svg());

        Element legend = elements(svg, "text", "legend").getFirst();
        double width = Double.parseDouble(svg.getDocumentElement().getAttribute("width"));
        assertThat(width).isGreaterThanOrEqualTo(Double.parseDouble(legend.getAttribute("x")) + 7 * longName.length());
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document svg, String tag, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cssClass)) found.add(e);
        }
        return found;
    }

    private static double height(Element bar) {
        return Double.parseDouble(bar.getAttribute("height"));
    }
}
