package io.sluice.cli;

import io.sluice.backfill.simulator.Faults;
import io.sluice.backfill.simulator.Latency;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RateLimitPolicy;
import io.sluice.backfill.simulator.RecordCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice simulate-pds}: starts the PDS simulator (many virtual PDS hosts and a PLC directory
 * on one loopback port), prints its URLs, optionally writes its DID list for {@code publish-dids},
 * and serves until Ctrl-C or SIGTERM. URLs go to stdout, progress to stderr.
 */
@Command(name = "simulate-pds",
        description = {
                "Serve simulated PDS hosts and a PLC directory until Ctrl-C.",
                "All on one port of 127.0.0.1. Repositories are real atproto CARs generated from the seed; each host enforces its rate limit "
                        + "and injects the configured faults. GET /admin/stats and /admin/expected report what was served."})
final class SimulatePdsCommand implements Callable<Integer> {

    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*([smh]?)");
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:\\.\\.(\\d+))?");

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--hosts", defaultValue = "4", description = "Virtual PDS hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--dids", defaultValue = "100", description = "Simulated accounts, spread over the hosts (default ${DEFAULT-VALUE}).")
    int dids;

    @Option(names = "--seed", defaultValue = "1", description = "Everything generated is a function of it (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--records", defaultValue = "10..200", paramLabel = "N|MIN..MAX",
            description = "Records per repository (default ${DEFAULT-VALUE}).")
    String records;

    @Option(names = "--records-shape", defaultValue = "uniform", paramLabel = "uniform|skewed",
            description = "How record counts spread between MIN and MAX (default ${DEFAULT-VALUE}).")
    String recordsShape;

    @Option(names = "--rate-limit", defaultValue = "3000/300s", paramLabel = "N/[W](s|m|h)",
            description = "Requests per window per host, e.g. 3000/300s, 20/s, 100/1m (default ${DEFAULT-VALUE}).")
    String rateLimit;

    @Option(names = "--latency", defaultValue = "0", paramLabel = "MS", description = "Added before each response (ms).")
    int latencyMillis;

    @Option(names = "--latency-jitter", defaultValue = "0", paramLabel = "MS", description = "Plus a random [0, MS) ms.")
    int jitterMillis;

    @Option(names = "--p429", defaultValue = "0", description = "Probability of an injected 429.")
    double p429;

    @Option(names = "--p5xx", defaultValue = "0", description = "Probability of a 500/502/503.")
    double p5xx;

    @Option(names = "--p-truncated", defaultValue = "0", description = "Probability of a getRepo body cut short.")
    double pTruncated;

    @Option(names = "--p-slow", defaultValue = "0", description = "Probability of a slow getRepo body.")
    double pSlow;

    @Option(names = "--slow-bytes-per-second", defaultValue = "65536", description = "Speed of slow bodies.")
    int slowBytesPerSecond;

    @Option(names = "--storm-chance", defaultValue = "0", description = "Probability per request of starting a 429 storm.")
    double stormChance;

    @Option(names = "--storm-ms", defaultValue = "0", description = "Length of a 429 storm (ms).")
    int stormMillis;

    @Option(names = "--big-repo-bytes", defaultValue = "0", paramLabel = "BYTES",
            description = "Give the first DID one repository of about this size, streamed (max 250 MiB).")
    long bigRepoBytes;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one).")
    int port;

    @Option(names = "--write-dids", paramLabel = "FILE", description = "Write every simulated DID to FILE, one a line.")
    Path writeDids;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StopSignals stop = StopSignals.install(err);
        try (PdsSimulator simulator = PdsSimulator.start(config())) {
            if (writeDids != null) {
                writeDidList(writeDids, simulator.dids());
                err.println("wrote " + simulator.dids().size() + " DIDs to " + writeDids);
            }
            printUrls(simulator, out);
            out.println();
            out.println("Running. Press Ctrl-C to stop.");
            out.flush();
            stop.await();
            err.println("stopping the simulator ...");
        }
        return 0;
    }

    PdsSimulatorConfig config() {
        OptionValues.inRange(spec, "--port", port, 0, 65535);
        RateLimitPolicy rate = OptionValues.parse(spec, "--rate-limit", () -> parseRate(rateLimit));
        RecordCounts.Shape shape = OptionValues.parse(spec, "--records-shape", () -> RecordCounts.Shape.parse(recordsShape));
        RecordCounts counts = OptionValues.parse(spec, "--records", () -> recordCounts(records, shape.name()));
        Latency latency = OptionValues.parse(spec, "--latency", () -> new Latency(latencyMillis, jitterMillis));
        Faults faults = OptionValues.parse(spec, "--p429", // the fault options are checked together; the message names the field
                () -> new Faults(p429, p5xx, pTruncated, pSlow, slowBytesPerSecond, stormChance, stormMillis));
        try {
            return PdsSimulatorConfig.builder().hosts(hosts).dids(dids).seed(seed).records(counts)
                    .rateLimit(rate).latency(latency).faults(faults).bigRepoBytes(bigRepoBytes).port(port).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static void printUrls(PdsSimulator simulator, PrintWriter out) {
        List<String> hostNames = simulator.hosts();
        out.println("PDS simulator is up:");
        out.println();
        out.println("  Base URL        " + simulator.baseUrl());
        out.println("  PLC directory   " + simulator.plcUrl());
        out.println("  Stats           " + simulator.baseUrl() + "/admin/stats");
        out.println("  Expected        " + simulator.baseUrl() + "/admin/expected");
        out.println("  DIDs            " + simulator.dids().size() + " (first: " + simulator.dids().getFirst() + ")");
        out.println("  PDS hosts       " + hostNames.size());
        hostNames.stream().limit(5).forEach(h -> out.println("    " + simulator.endpointOfHost(h)));
        if (hostNames.size() > 5) out.println("    ... and " + (hostNames.size() - 5) + " more");
        simulator.bigRepoDid().ifPresent(did -> out.println("  Big repository  " + did));
        out.flush();
    }

    /** {@code 3000/300s}, {@code 20/s}, {@code 100/1m}, {@code 5000/h}: requests per window. */
    static RateLimitPolicy parseRate(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit '" + text + "' is not N/[W](s|m|h), e.g. 3000/300s or 20/s");
        }
        long window = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        long seconds = window * switch (m.group(3)) {
            case "m" -> 60;
            case "h" -> 3600;
            default -> 1;
        };
        if (m.group(2).isEmpty() && m.group(3).isEmpty()) {
            throw new IllegalArgumentException("rate limit '" + text + "' has no window; write e.g. " + text + "s");
        }
        return new RateLimitPolicy(Integer.parseInt(m.group(1)), (int) Math.min(Integer.MAX_VALUE, seconds));
    }

    /** {@code 500} or {@code 10..200}. */
    static RecordCounts recordCounts(String text, String shape) {
        Matcher m = RANGE.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("records '" + text + "' is not N or MIN..MAX");
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
        return new RecordCounts(min, max, RecordCounts.Shape.parse(shape));
    }

    private static void writeDidList(Path file, List<String> dids) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Files.write(file, dids);
    }
}
