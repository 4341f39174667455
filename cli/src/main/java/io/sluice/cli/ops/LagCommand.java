package io.sluice.cli.ops;

import io.sluice.cli.ConnectionOptions;
import io.sluice.cli.StopSignals;
import io.sluice.ops.lag.GroupLag;
import io.sluice.ops.lag.GroupStatus;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.lag.LagTracker;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice lag}: consumer lag per group and partition, with rate, time to drain and a status,
 * from {@link LagReader} samples judged by a {@link LagTracker}. Prints to stdout; exits 0.
 */
@Command(name = "lag",
        description = {
                "Show consumer lag: per group (sinks, fetchers, resolvers, Streams applications) and partition the "
                        + "committed offset, the log end offset and the lag; per group the total, the consumption "
                        + "rate, the time to drain and a status.",
                "Status: ERROR (no members, and lag), IDLE (no members, no lag), STALLED (a partition with lag "
                        + "whose committed offset did not move for --stall-after), LAGGING (lag that grew over the "
                        + "interval), OK. Lag is counted to the last stable offset, without commit markers and "
                        + "aborted records: a drained read_committed consumer shows 0.",
                "A single run samples every --interval: twice, or, while a group has lag that has not moved "
                        + "since the first sample, until it moves or --stall-after is over; --watch keeps sampling "
                        + "until Ctrl-C. Sinks that keep their offsets in PostgreSQL (sluice_offsets) report those "
                        + "when --pg-url or SLUICE_PG_URL is given."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice lag",
                "  sluice lag --group sluice-etl-sink --group sluice-etl-flattener --watch",
                "  sluice lag --json --interval 5s | jq '.groups[] | {group, status, lag}'"})
public final class LagCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--group", paramLabel = "ID",
            description = "Group or Streams application id; repeat for several (default: every group the broker "
                    + "knows, and every group with stored sink offsets).")
    List<String> groups = List.of();

    @Option(names = "--watch", description = "Sample every --interval and redraw until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Time between samples, e.g. 500ms, 2s, 1m (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--stall-after", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "A group with a partition whose lag has not moved for this long is STALLED; a single "
                    + "run waits up to this long for such a group to move (default: ${DEFAULT-VALUE}).")
    Duration stallAfter;

    @Option(names = "--json", description = "One JSON document per sample, on one line, instead of the table.")
    boolean json;

    /** Redraw in place on a terminal; tests set it. */
    boolean terminal = System.console() != null;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = OpsOptions.admin(connection);
             LagReader reader = LagReader.readCommitted(admin, OpsOptions.postgres(connection), connection.kafka().consumer())) {
            LagTracker tracker = new LagTracker(stallAfter);
            if (!watch) {
                tracker.update(Instant.now(), sample(reader));
                // STALLED is a verdict on a window of commits, not on two samples: wait for it.
                Instant at;
                List<GroupStatus> statuses;
                do {
                    Thread.sleep(interval.toMillis());
                    at = Instant.now();
                    statuses = tracker.update(at, sample(reader));
                } while (tracker.undecided(at));
                print(out, at, statuses, false);
                return 0;
            }
            StopSignals stop = StopSignals.install(spec.commandLine().getErr());
            do {
                print(out, tracker, reader, true);
            } while (!stop.await(interval));
            return 0;
        }
    }

    private void print(PrintWriter out, LagTracker tracker, LagReader reader, boolean watching) {
        Instant at = Instant.now();
        print(out, at, tracker.update(at, sample(reader)), watching);
    }

    private void print(PrintWriter out, Instant at, List<GroupStatus> statuses, boolean watching) {
        if (json) {
            out.println(LagJson.render(at, statuses));
        } else {
            if (watching && terminal) out.print("\033[H\033[2J");
            else if (watching) out.println("--- " + at);
            out.print(LagTable.render(statuses));
            if (watching && !terminal) out.println();
        }
        out.flush();
    }

    private List<GroupLag> sample(LagReader reader) {
        return reader.read(groups.isEmpty() ? reader.groups() : groups);
    }
}
