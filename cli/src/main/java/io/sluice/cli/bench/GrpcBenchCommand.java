package io.sluice.cli.bench;

import io.sluice.bench.HeapPeak;
import io.sluice.bench.chart.Figure;
import io.sluice.bench.grpc.GrpcBenchReport;
import io.sluice.bench.grpc.GrpcBenchSettings;
import io.sluice.bench.grpc.GrpcBenchmark;
import io.sluice.cli.ConnectionOptions;
import io.sluice.stack.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice bench grpc}: runs {@link GrpcBenchmark} on the embedded stack (or the services the
 * {@code SLUICE_*} variables name) and prints a table, or with {@code --json} one JSON object
 * (BenchResult's fields and the series). The load average is taken before the stack starts.
 */
@Command(name = "grpc",
        description = {
                "Benchmark the DCB store's gRPC API against its HTTP API on one dcb-api instance, in one run.",
                "Conditional appends/s and p50/p99 at each count in flight for HTTP clients, gRPC unary callers and "
                        + "AppendStream ASYNC (64 in flight per stream); one Read of --read-events events (seeded "
                        + "with COPY into the events table) against the same events over HTTP, paged; the heap of "
                        + "idle subscriptions; and the time an appended event takes to reach every one of "
                        + "--delivery-subscribers subscribers, against one subscriber."},
        footerHeading = "%nExamples:%n",
        footer = {"  sluice bench grpc", "  sluice bench grpc --clients 1,64 --read-events 100000 --subscribers 1000 --json"})
public final class GrpcBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--clients", split = ",", paramLabel = "N", defaultValue = "1,64,256",
            description = "Appends in flight to measure at, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds per path and count in flight. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--read-events", paramLabel = "N", defaultValue = "1000000",
            description = "Events one Read returns. Default: ${DEFAULT-VALUE}.")
    int readEvents;

    @Option(names = "--subscribers", split = ",", paramLabel = "N", defaultValue = "1000,10000",
            description = "Idle subscriptions to measure the heap of, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> subscribers;

    @Option(names = "--delivery-subscribers", paramLabel = "N", defaultValue = "1000",
            description = "Subscribers the commit-to-delivery time is measured at. Default: ${DEFAULT-VALUE}.")
    int deliverySubscribers;

    @Option(names = "--deliveries", paramLabel = "N", defaultValue = "100",
            description = "Events timed for commit-to-delivery, one at a time. Default: ${DEFAULT-VALUE}.")
    int deliveries;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.svg",
            description = "Also write an SVG chart to FILE.svg: appends/s and p99 by appends in flight for HTTP, gRPC unary"
                    + " and AppendStream, and the Read against HTTP paging.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GrpcBenchSettings settings = settings();
        if (chart != null) {
            try {
                Figure.requireSvgName(chart);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        // before anything of ours runs: what the machine's other users were doing
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        GrpcBenchReport report;
        HeapPeak heap;
        try (EmbeddedStack stack = EmbeddedStack.start(connection.stack(err::println))) {
            heap = HeapPeak.start();
            report = new GrpcBenchmark(stack.endpoints(), settings, line -> {
                err.println(line);
                err.flush();
            }).run();
        }
        report = report.withPeakHeapMb(heap.stopMb());
        if (json) {
            out.println(report.toBenchResult(loadAtStart).toJson());
            out.flush();
        } else {
            report.printTable(out, loadAtStart);
        }
        if (chart != null) {
            report.chart().writeSvg(chart);
            err.println("chart: " + chart);
        }
        return 0;
    }

    GrpcBenchSettings settings() {
        try {
            return new GrpcBenchSettings(clients, seconds, readEvents, subscribers, deliverySubscribers, deliveries);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
