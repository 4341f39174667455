package io.sluice.cli.ops;

import io.sluice.cli.ConnectionOptions;
import io.sluice.ops.replay.ReplayPlan;
import io.sluice.ops.replay.ReplayPlan.Move;
import io.sluice.ops.replay.ReplayTarget;
import io.sluice.ops.replay.Replayer;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.sinks.etl.EtlSink;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code sluice replay}: moves an idle group's offsets for a rerun, through {@link Replayer}. */
@Command(name = "replay",
        description = {
                "Move a stopped consumer group's offsets, or reset a Streams application, so that its next run re-reads.",
                "Refuses while the group has active members. A sink (rows in sluice_offsets; needs --pg-url or "
                        + "SLUICE_PG_URL) has its stored offsets moved in one PostgreSQL transaction, then Kafka's. A "
                        + "Streams application (a sluice application id, or one with <id>-...-changelog/-repartition "
                        + "topics) gets a full reset by Kafka's StreamsResetter: input topics to the target, internal "
                        + "topics deleted, and its local state <state-dir>/<id> deleted on this machine (delete it on "
                        + "other machines too). Targets are clamped to each partition's [log start, log end]."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice replay --group sluice-etl-sink --to-earliest --dry-run",
                "  sluice replay --group sluice-etl-flattener --to-datetime 2026-11-23T08:00:00Z",
                "  sluice replay --group sluice-fetcher --topic backfill.fetch --shift-by -1000"})
public final class ReplayCommand implements Callable<Integer> {

    /** Groups that store their offsets in PostgreSQL: replaying them without it would not make them re-read. */
    static final Set<String> SINK_GROUPS = Set.of(RecordsSink.DEFAULT_GROUP_ID, EtlSink.GROUP_ID, EventsSink.DEFAULT_GROUP_ID);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--group", required = true, paramLabel = "ID", description = "Consumer group or Streams application id.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "To the first offset still in the log.")
        boolean earliest;

        @Option(names = "--to-datetime", required = true, paramLabel = "T",
                description = "To the first record at or after T, ISO-8601 with a zone, e.g. 2026-11-23T08:00:00Z.")
        String datetime;

        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "To offset N on every partition.")
        Long offset;

        @Option(names = "--shift-by", required = true, paramLabel = "N",
                description = "By N from the current offset (negative: back).")
        Long shift;
    }

    @Option(names = "--topic", paramLabel = "NAME",
            description = "Only these topics (repeat for several); every partition of each (default: the topics the group has offsets for).")
    List<String> topics = List.of();

    @Option(names = "--streams-app",
            description = "Reset --group as a Streams application even if it is not recognised as one (a stateless "
                    + "application with an id of your own has no internal topics to tell it by).")
    boolean streamsApp;

    @Option(names = "--dry-run", description = "Print the plan (topic, partition, current, target) and change nothing.")
    boolean dryRun;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The --state-dir the Streams application ran with, if it was given one; its local state "
                    + "there is deleted. Default: the directories sluice chooses, "
                    + "${sys:java.io.tmpdir}/sluice-streams/<application id>[.N], one per instance that ran on this host.")
    Path stateDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ReplayTarget t = target();
        Optional<DataSource> postgres = OpsOptions.postgres(connection);
        if (postgres.isEmpty() && SINK_GROUPS.contains(group)) {
            throw new ParameterException(spec.commandLine(), group + " is a sink that keeps its offsets in PostgreSQL: "
                    + "give --pg-url or set SLUICE_PG_URL, or the rerun would not re-read");
        }
        try (Admin admin = OpsOptions.admin(connection)) {
            Replayer replayer = new Replayer(admin, connection.kafka(), postgres, Optional.ofNullable(stateDir));
            ReplayPlan plan = replayer.plan(group, t, topics, streamsApp);
            out.print(render(plan));
            if (dryRun) {
                out.println("dry run: nothing changed");
                return 0;
            }
            out.flush();
            replayer.apply(plan);
            out.printf("replayed %s: %d partition%s moved%s%n", group, plan.moves().size(), plan.moves().size() == 1 ? "" : "s",
                    plan.kind() == ReplayPlan.Kind.STREAMS ? ", internal topics deleted, local state removed" : "");
            return 0;
        }
    }

    private ReplayTarget target() {
        if (target.earliest) return new ReplayTarget.ToEarliest();
        if (target.offset != null) {
            if (target.offset < 0) throw new ParameterException(spec.commandLine(), "--to-offset must be >= 0, got " + target.offset);
            return new ReplayTarget.ToOffset(target.offset);
        }
        if (target.shift != null) return new ReplayTarget.ShiftBy(target.shift);
        try {
            return new ReplayTarget.ToDatetime(OffsetDateTime.parse(target.datetime).toInstant());
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--to-datetime: '" + target.datetime
                    + "' is not an ISO-8601 date-time with a zone, e.g. 2026-11-23T08:00:00Z or 2026-11-23T09:00:00+01:00");
        }
    }

    static String render(ReplayPlan plan) {
        StringBuilder sb = new StringBuilder();
        String how = switch (plan.kind()) {
            case CONSUMER -> "consumer group: Kafka offsets";
            case SINK -> "sink: sluice_offsets in PostgreSQL, then Kafka offsets";
            case STREAMS -> "Streams application: full reset";
        };
        sb.append(String.format(Locale.ROOT, "replay %s (%s) %s%n", plan.groupId(), how, describe(plan.target())));
        int width = Math.max(5, plan.moves().stream().mapToInt(m -> m.topic().length()).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9s  %15s  %15s%n", "TOPIC", "PARTITION", "CURRENT", "TARGET"));
        for (Move m : plan.moves()) {
            String current = m.current().isPresent() ? String.format(Locale.ROOT, "%,d", m.current().getAsLong()) : "-";
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9d  %15s  %,15d%n", m.topic(), m.partition(), current, m.target()));
        }
        if (plan.kind() == ReplayPlan.Kind.STREAMS) {
            sb.append("  internal topics to delete: ").append(plan.internalTopics().isEmpty() ? "none" : String.join(", ", plan.internalTopics()))
                    .append(System.lineSeparator());
            plan.stateDirs().forEach(d -> sb.append("  local state to delete on this machine: ").append(d).append(System.lineSeparator()));
        }
        return sb.toString();
    }

    private static String describe(ReplayTarget t) {
        return switch (t) {
            case ReplayTarget.ToEarliest e -> "to the earliest offsets";
            case ReplayTarget.ToDatetime d -> "to " + d.at();
            case ReplayTarget.ToOffset o -> "to offset " + o.offset();
            case ReplayTarget.ShiftBy s -> "shifted by " + s.delta();
        };
    }
}
