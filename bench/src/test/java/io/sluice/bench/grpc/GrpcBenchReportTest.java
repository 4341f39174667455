package io.sluice.bench.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dcb.api.DcbLoad;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shape of {@code sluice bench grpc}'s output, which a chart will be drawn from. */
class GrpcBenchReportTest {

    private static DcbLoad.Result load(int inFlight, double perSecond) {
        return new DcbLoad.Result(inFlight, 1.0, Math.round(perSecond), 0, 0, 2.0, 9.0, "");
    }

    private static GrpcBenchReport report() {
        List<GrpcBenchReport.AppendPoint> appends = List.of(
                new GrpcBenchReport.AppendPoint(1, 1, load(1, 50), load(1, 60), load(1, 70)),
                new GrpcBenchReport.AppendPoint(64, 1, load(64, 500), load(64, 900), load(64, 1200)));
        Map<Integer, Double> heap = new LinkedHashMap<>();
        heap.put(1000, 4000.0);
        heap.put(10000, 3500.0);
        long[] ms = {5_000_000, 7_000_000, 120_000_000};
        return new GrpcBenchReport(appends, load(64, 1200), load(64, 500), new ReadThroughput.Result(1_000_000, 4.0),
                new ReadThroughput.Result(1_000_000, 8.0), 12.0, heap,
                new SubscriberFanOut.Delivery(1, ms, ms, ms), new SubscriberFanOut.Delivery(1000, ms, ms, ms), 300);
    }

    @Test
    void theJsonHasBenchResultsCommonFieldsAndEverySeriesWithTheHttpPathBesideIt() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report().toBenchResult(3.25).toJson());

        assertThat(json.get("workload").asText()).isEqualTo("grpc");
        assertThat(json.get("baseline").get("name").asText()).isEqualTo(GrpcBenchReport.BASELINE);
        assertThat(json.get("ratio_vs_baseline").asDouble()).isEqualTo(2.4);
        assertThat(json.get("load_average_1m_at_start").asDouble()).isEqualTo(3.3);
        assertThat(json.get("appends")).hasSize(2);
        JsonNode at64 = json.get("appends").get(1);
        assertThat(at64.get("in_flight").asInt()).isEqualTo(64);
        assertThat(at64.get("http").get("appends_per_s").asDouble()).isEqualTo(500);
        assertThat(at64.get("grpc_unary").get("p99_ms").asDouble()).isEqualTo(9);
        assertThat(at64.get("grpc_stream_async").get("streams").asInt()).isEqualTo(1);
        assertThat(json.get("read").get("grpc_events_per_s").asDouble()).isEqualTo(250_000);
        assertThat(json.get("read").get("http_events_per_s").asDouble()).isEqualTo(125_000);
        assertThat(json.get("read").get("seeded_by").asText()).contains("COPY");
        assertThat(json.get("idle_subscribers").get(1).get("heap_bytes_each").asLong()).isEqualTo(3500);
        assertThat(json.get("delivery").get(1).get("subscribers").asInt()).isEqualTo(1000);
        assertThat(json.get("delivery").get(1).get("all_p99_ms").asDouble()).isEqualTo(120);
        assertThat(json.get("targets").get("delivery_p99_ms").get("met").asBoolean()).isFalse();
        assertThat(json.get("targets").get("read_events_per_s").get("met").asBoolean()).isTrue();
    }

    @Test
    void theTableSaysTheLoadAverageAndHowTheReadWasSeeded() {
        StringWriter text = new StringWriter();
        report().printTable(new PrintWriter(text), 3.25);
        assertThat(text.toString()).contains("load average 3.25 at the start (shared machine)")
                .contains("seeded by COPY").contains("1,000 idle subscriptions").contains("NOT met");
    }

    @Test
    void theChartHasABarPerPathAndCountInFlightAndTheReadBesideHttp() throws Exception {
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(report().chart().svg())));
        NodeList rects = svg.getElementsByTagName("rect");
        List<String> bars = new java.util.ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.getAttribute("class").equals("bar")) bars.add(r.getAttribute("data-value"));
        }
        // 2 counts in flight x 3 paths, then the Read: gRPC 250,000/s and HTTP 125,000/s
        assertThat(bars).hasSize(8);
        assertThat(bars.stream().map(Double::parseDouble).toList()).contains(50.0, 60.0, 70.0, 500.0, 900.0, 1200.0,
                250_000.0, 125_000.0);
        assertThat(svg.getDocumentElement().getTextContent()).contains("AppendStream ASYNC", "gRPC unary", "HTTP",
                "gRPC Read (one stream)", "p99");
    }

    @Test
    void settingsRefuseWhatTheServerWouldNot() {
        assertThatThrownBy(() -> new GrpcBenchSettings(List.of(1, 0), 5, 1000, List.of(1000), 1000, 10))
                .hasMessageContaining("--clients");
        assertThatThrownBy(() -> new GrpcBenchSettings(List.of(1), 5, 1000, List.of(20_000), 1000, 10))
                .hasMessageContaining("--subscribers must be 1..10000");
    }
}
