package io.sluice.bench.grpc;

import io.sluice.bench.BenchResult;
import io.sluice.bench.chart.Chart;
import io.sluice.bench.chart.Figure;
import io.sluice.dcb.api.DcbLoad;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sluice bench grpc} measured, as a table or as {@link BenchResult}'s JSON with the series
 * at its top level (each point's numbers side by side with the HTTP path's from the same run, so a
 * chart can be drawn from it). The targets are reported as met or not, never used to tune the run.
 *
 * @param appends       one point per count in flight: HTTP, gRPC unary, AppendStream ASYNC
 * @param oneStream     one ASYNC AppendStream with 64 in flight
 * @param httpAt64      HTTP at 64 clients, the reference of {@code oneStream}
 * @param grpcRead      one Read of the seeded events
 * @param httpRead      the same events over HTTP, paged
 * @param seedSeconds   how long seeding them with COPY took
 * @param heapEach      idle subscriptions: count to heap bytes each (both ends of the call, one JVM)
 * @param deliveryOne   commit-to-delivery with one subscriber (the in-run baseline)
 * @param deliveryMany  commit-to-delivery with many subscribers
 * @param peakHeapMb    the JVM's peak used heap during the run
 */
public record GrpcBenchReport(List<AppendPoint> appends, DcbLoad.Result oneStream, DcbLoad.Result httpAt64,
                              ReadThroughput.Result grpcRead, ReadThroughput.Result httpRead, double seedSeconds,
                              Map<Integer, Double> heapEach, SubscriberFanOut.Delivery deliveryOne,
                              SubscriberFanOut.Delivery deliveryMany, double peakHeapMb) {

    public GrpcBenchReport(List<AppendPoint> appends, DcbLoad.Result oneStream, DcbLoad.Result httpAt64,
                           ReadThroughput.Result grpcRead, ReadThroughput.Result httpRead, double seedSeconds,
                           Map<Integer, Double> heapEach, SubscriberFanOut.Delivery deliveryOne,
                           SubscriberFanOut.Delivery deliveryMany) {
        this(appends, oneStream, httpAt64, grpcRead, httpRead, seedSeconds, heapEach, deliveryOne, deliveryMany, Double.NaN);
    }

    /** One count of appends in flight, measured on each path in turn. */
    public record AppendPoint(int inFlight, int streams, DcbLoad.Result http, DcbLoad.Result unary, DcbLoad.Result stream) {
    }

    static final String BASELINE = "http-64-clients";
    static final String SEEDED_BY = "COPY into the events table (not through the API)";
    private static final double READ_TARGET = 200_000;
    private static final double HEAP_TARGET_BYTES = 16 * 1024;
    private static final double DELIVERY_P99_TARGET_MS = 100;

    public GrpcBenchReport withPeakHeapMb(double mb) {
        return new GrpcBenchReport(appends, oneStream, httpAt64, grpcRead, httpRead, seedSeconds, heapEach, deliveryOne,
                deliveryMany, mb);
    }

    /** Appends/s and p99 by count in flight, each path side by side, and the one Read against HTTP paging. */
    public Figure chart() {
        List<String> xs = appends.stream().map(p -> Integer.toString(p.inFlight())).toList();
        Map<String, double[]> perSecond = new LinkedHashMap<>();
        Map<String, double[]> p99 = new LinkedHashMap<>();
        perSecond.put("HTTP", appends.stream().mapToDouble(p -> p.http().perSecond()).toArray());
        perSecond.put("gRPC unary", appends.stream().mapToDouble(p -> p.unary().perSecond()).toArray());
        perSecond.put("AppendStream ASYNC", appends.stream().mapToDouble(p -> p.stream().perSecond()).toArray());
        p99.put("HTTP", appends.stream().mapToDouble(p -> p.http().p99Millis()).toArray());
        p99.put("gRPC unary", appends.stream().mapToDouble(p -> p.unary().p99Millis()).toArray());
        p99.put("AppendStream ASYNC", appends.stream().mapToDouble(p -> p.stream().p99Millis()).toArray());
        Map<String, double[]> read = new LinkedHashMap<>();
        read.put("gRPC Read (one stream)", new double[] {grpcRead.perSecond()});
        read.put("HTTP /read (paged)", new double[] {httpRead.perSecond()});
        return Figure.of(
                Chart.bars("DCB over gRPC and HTTP: conditional appends/s", "appends in flight", "appends/s (higher is faster)",
                        xs, perSecond),
                Chart.lines("DCB over gRPC and HTTP: append latency, p99", "appends in flight", "p99 ms (lower is faster)",
                        xs, p99),
                Chart.bars("Reading " + grpcRead.events() + " events", "", "events/s (higher is faster)", List.of("read"), read));
    }

    public BenchResult toBenchResult(double loadAverageAtStart) {
        Map<String, Object> headline = new LinkedHashMap<>();
        headline.put("load_average_1m_at_start", round(loadAverageAtStart));
        headline.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Map<String, Object>> series = new ArrayList<>();
        for (AppendPoint p : appends) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("in_flight", p.inFlight());
            point.put("http", load(p.http()));
            point.put("grpc_unary", load(p.unary()));
            Map<String, Object> stream = load(p.stream());
            stream.put("streams", p.streams());
            point.put("grpc_stream_async", stream);
            series.add(point);
        }
        headline.put("appends", series);
        headline.put("stream_1x64", load(oneStream));
        headline.put("http_64_clients", load(httpAt64));
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("events", grpcRead.events());
        read.put("seeded_by", SEEDED_BY);
        read.put("seed_seconds", round(seedSeconds));
        read.put("grpc_events_per_s", round(grpcRead.perSecond()));
        read.put("grpc_seconds", round(grpcRead.seconds()));
        read.put("http_events", httpRead.events());
        read.put("http_events_per_s", round(httpRead.perSecond()));
        read.put("http_seconds", round(httpRead.seconds()));
        headline.put("read", read);
        List<Map<String, Object>> idle = new ArrayList<>();
        heapEach.forEach((n, bytes) -> idle.add(Map.of("subscribers", n, "heap_bytes_each", Math.round(bytes))));
        headline.put("idle_subscribers", idle);
        headline.put("delivery", List.of(delivery(deliveryOne), delivery(deliveryMany)));
        headline.put("targets", targets());
        Map<String, Object> details = Map.of("heap_measured", "GC'd heap delta / N, server and client ends in one JVM",
                "delivery_measured", "from the append sent (its own latency included) to the last subscriber having it");
        double baselineSeconds = oneStream.answered() / httpAt64.perSecond();
        return new BenchResult("grpc", oneStream.answered(), oneStream.answered(), oneStream.seconds(), peakHeapMb, BASELINE,
                baselineSeconds, details, headline);
    }

    /** Each target with the measured value and whether it was met. */
    Map<String, Object> targets() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("stream_1x64_vs_http_64", target(oneStream.perSecond(), oneStream.perSecond() >= httpAt64.perSecond(),
                ">= HTTP at 64 clients (" + Math.round(httpAt64.perSecond()) + "/s)"));
        t.put("read_events_per_s", target(grpcRead.perSecond(), grpcRead.perSecond() >= READ_TARGET, ">= 200000"));
        double worstHeap = heapEach.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        t.put("idle_heap_bytes_each", target(worstHeap, worstHeap <= HEAP_TARGET_BYTES, "<= 16384"));
        double p99 = Latencies.p99(deliveryMany.allNanos());
        t.put("delivery_p99_ms", target(p99, p99 <= DELIVERY_P99_TARGET_MS, "<= 100 at " + deliveryMany.subscribers()));
        return t;
    }

    public void printTable(PrintWriter out, double loadAverageAtStart) {
        out.printf("gRPC benchmark: one dcb-api instance on the embedded stack; %d cpus, load average %.2f at the start"
                + " (shared machine)%n%n", Runtime.getRuntime().availableProcessors(), loadAverageAtStart);
        out.printf("%9s  %-22s  %-22s  %-22s%n", "", "HTTP", "gRPC unary", "AppendStream ASYNC");
        out.printf("%9s  %-22s  %-22s  %-22s%n", "in flight", cellHead(), cellHead(), cellHead());
        for (AppendPoint p : appends) {
            out.printf("%9d  %-22s  %-22s  %-22s  (%d stream%s)%n", p.inFlight(), cell(p.http()), cell(p.unary()),
                    cell(p.stream()), p.streams(), p.streams() == 1 ? "" : "s");
        }
        out.printf("%n1 AppendStream x 64 in flight: %s appends/s vs HTTP at 64 clients %s/s%s%n",
                Math.round(oneStream.perSecond()), Math.round(httpAt64.perSecond()), errors(oneStream, httpAt64));
        out.printf("Read of %,d events (seeded by %s in %.1f s): gRPC %,.0f events/s (%.1f s), HTTP paged %,.0f events/s (%.1f s)%n",
                grpcRead.events(), SEEDED_BY, seedSeconds, grpcRead.perSecond(), grpcRead.seconds(), httpRead.perSecond(),
                httpRead.seconds());
        heapEach.forEach((n, bytes) -> out.printf("%,d idle subscriptions: %,.0f bytes of heap each (GC'd heap delta / N,"
                + " server and client ends in one JVM)%n", n, bytes));
        for (SubscriberFanOut.Delivery d : List.of(deliveryOne, deliveryMany)) {
            out.printf("delivery to %,d subscriber(s): all have it p50 %.1f ms p99 %.1f ms; first p50 %.1f ms;"
                            + " the append itself p50 %.1f ms (%d events, timed from the append sent)%n", d.subscribers(),
                    Latencies.p50(d.allNanos()), Latencies.p99(d.allNanos()), Latencies.p50(d.firstNanos()),
                    Latencies.p50(d.appendNanos()), d.allNanos().length);
        }
        out.println();
        targets().forEach((name, value) -> {
            Map<?, ?> t = (Map<?, ?>) value;
            out.printf("target %-24s %-12s %-9s (%s)%n", name, t.get("value"),
                    Boolean.TRUE.equals(t.get("met")) ? "met" : "NOT met", t.get("target"));
        });
        out.printf("peak heap %.0f MB%n", peakHeapMb);
        out.flush();
    }

    private static String cellHead() {
        return String.format("%8s %6s %6s", "/s", "p50", "p99");
    }

    private static String cell(DcbLoad.Result r) {
        return String.format("%8.0f %6.1f %6.1f", r.perSecond(), r.p50Millis(), r.p99Millis())
                + (r.errors() > 0 ? " " + r.errors() + "err" : "");
    }

    private static String errors(DcbLoad.Result... results) {
        long errors = 0;
        for (DcbLoad.Result r : results) errors += r.errors();
        return errors == 0 ? "" : " (" + errors + " errors)";
    }

    private static Map<String, Object> load(DcbLoad.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_flight", r.clients());
        m.put("appends_per_s", round(r.perSecond()));
        m.put("p50_ms", round(r.p50Millis()));
        m.put("p99_ms", round(r.p99Millis()));
        m.put("answered", r.answered());
        m.put("condition_failed", r.conditionFailed());
        m.put("errors", r.errors());
        if (!r.firstError().isEmpty()) m.put("first_error", r.firstError());
        return m;
    }

    private static Map<String, Object> delivery(SubscriberFanOut.Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", d.subscribers());
        m.put("events", d.allNanos().length);
        m.put("all_p50_ms", round(Latencies.p50(d.allNanos())));
        m.put("all_p99_ms", round(Latencies.p99(d.allNanos())));
        m.put("first_p50_ms", round(Latencies.p50(d.firstNanos())));
        m.put("append_p50_ms", round(Latencies.p50(d.appendNanos())));
        return m;
    }

    private static Map<String, Object> target(double value, boolean met, String target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", round(value));
        m.put("target", target);
        m.put("met", met);
        return m;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
