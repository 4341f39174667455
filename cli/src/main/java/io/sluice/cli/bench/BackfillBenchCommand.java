package io.sluice.cli.bench;

import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.bench.BenchResult;
import io.sluice.bench.backfill.BackfillBenchSettings;
import io.sluice.bench.backfill.BackfillBenchmark;
import io.sluice.bench.OnEmbeddedStack;
import io.sluice.bench.PathChart;
import io.sluice.bench.chart.Figure;
import io.sluice.cli.ConnectionOptions;
import io.sluice.common.topics.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice bench backfill}: runs {@link BackfillBenchmark} on the embedded stack (or the services
 * the {@code SLUICE_*} variables name) and prints its {@link BenchResult}: a summary on stdout, or the
 * JSON object with {@code --json}. Progress goes to stderr.
 */
@Command(name = "backfill",
        description = {
                "Benchmark the Bluesky backfill: PDS simulator -> resolver -> rate limiter -> fetcher -> records sink -> PostgreSQL.",
                "Starts a PDS simulator with --dids repositories on --hosts hosts, publishes the DIDs and times "
                        + "sluice from the first DID published to the last record committed. Then, against the same "
                        + "simulator (counters reset), the seed design's baseline: 8 workers, each taking one DID "
                        + "at a time and doing resolve -> fetch -> parse -> batched INSERT in turn. Both runs must "
                        + "leave exactly the simulator's records (count and checksum). With --rounds N each path runs N "
                        + "times, the order alternating, and the last run of each is measured. rate_limit_violations are the simulator's count "
                        + "of requests over a host's limit during the sluice run.",
                "Without --host-limit no limit binds; with it the simulator enforces it per host and the rate "
                        + "limiter is set to it (with windows aligned to the epoch, as the simulator counts them), "
                        + "and allowed_rate_utilisation is the request rate over hosts x limit in the steady part: "
                        + "the seconds after every host's first request and before any host's last, without the "
                        + "ramp-up and the tail (a run too short for one such second reports the whole run; "
                        + "details.allowed_rate_utilisation_whole_run always covers it).",
                "details.cpu_s and details.baseline_cpu_s are the CPU-seconds of each run by stage, PostgreSQL "
                        + "included (its backends by application_name, when it runs on this machine): on a shared "
                        + "machine they say more than wall time. The simulator stands in for remote PDSs, so it "
                        + "keeps every generated repository cached (up to a quarter of the heap) rather than "
                        + "billing its generation to either run.",
                "--big-repo-mb makes one repository that big, to watch peak heap (run the JVM with -Xmx512m: "
                        + "JAVA_OPTS=-Xmx512m ./sluice ...); it keeps the simulator's cache small."},
        footerHeading = "%nExamples:%n",
        footer = {"  sluice bench backfill --dids 20000 --hosts 50 --json",
                "  sluice bench backfill --dids 30000 --hosts 50 --host-limit 20/s --records 5..30",
                "  sluice bench backfill --dids 2000 --hosts 20 --rounds 2 --json --chart docs/bench/backfill.svg",
                "  JAVA_OPTS=-Xmx512m sluice bench backfill --dids 200 --hosts 10 --big-repo-mb 200 --no-baseline"})
public final class BackfillBenchCommand implements Callable<Integer> {

    private static final Pattern RANGE = Pattern.compile("(\\d{1,9})\\.\\.(\\d{1,9})");

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--dids", paramLabel = "N", defaultValue = "20000", description = "Repositories (default: ${DEFAULT-VALUE}).")
    int dids;

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "50", description = "PDS hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--host-limit", paramLabel = "N/s",
            description = "Requests per second per host, enforced by the simulator and configured in the limiter "
                    + "(default: none binding).")
    String hostLimit;

    @Option(names = "--records", paramLabel = "MIN..MAX", defaultValue = "10..200",
            description = "Records per repository, uniform (default: ${DEFAULT-VALUE}).")
    String records;

    @Option(names = "--big-repo-mb", paramLabel = "MB", defaultValue = "0",
            description = "Make one repository about this many MiB (default: none).")
    int bigRepoMb;

    @Option(names = "--no-baseline", description = "Run sluice only.")
    boolean noBaseline;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "" + TopicAdmin.DEFAULT_PARTITIONS,
            description = "Partitions of the backfill topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Runs of each path, the order alternating (sluice first, then the baseline first, ...); the last "
                    + "run of each is measured, so with 2 or more both are measured warm (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print one JSON object instead of the summary.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "Also write an SVG chart of records/s per path to FILE.svg.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BackfillBenchSettings settings = settings();
        return OnEmbeddedStack.run(connection.stack(line -> { }), (stack, progress) -> {
            BenchResult result = new BackfillBenchmark(stack, settings, progress).run();
            if (chart != null) {
                PathChart.rowsPerSecond(result, String.format("Backfill: %,d repositories on %,d hosts, %,d records", settings.dids(),
                        settings.hosts(), result.rows()), "repositories (DIDs)", "records/s").writeSvg(chart);
                progress.accept("chart: " + chart);
            }
            return result;
        }, json, out, err);
    }

    BackfillBenchSettings settings() {
        try {
            Matcher range = RANGE.matcher(records.strip());
            if (!range.matches()) throw new IllegalArgumentException("--records must be MIN..MAX, e.g. 10..200, got " + records);
            if (chart != null) Figure.requireSvgName(chart);
            return new BackfillBenchSettings(dids, hosts, perSecond(hostLimit), bigRepoMb, Integer.parseInt(range.group(1)),
                    Integer.parseInt(range.group(2)), seed, partitions, noBaseline, rounds);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The simulator counts fixed one-second windows, so only per-second limits compare like for like. */
    private static OptionalInt perSecond(String text) {
        if (text == null) return OptionalInt.empty();
        RateLimitPolicy policy;
        try {
            policy = RateLimitPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--host-limit: " + e.getMessage(), e);
        }
        if (!policy.window().equals(Duration.ofSeconds(1))) {
            throw new IllegalArgumentException("--host-limit must be per second (e.g. 20/s), got " + text);
        }
        return OptionalInt.of(policy.limit());
    }
}
