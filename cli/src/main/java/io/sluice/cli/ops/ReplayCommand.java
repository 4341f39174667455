package io.sluice.cli.ops;

import io.sluice.cli.ConnectionOptions;
import io.sluice.ops.replay.ReplayPlan;
import io.sluice.ops.replay.ReplayPlan.Move;
import io.sluice.ops.replay.ReplayTarget;
import io.sluice.ops.replay.StreamsApps;
import io.sluice.ops.replay.Replayer;
import io.sluice.cli.OptionValues;
import io.sluice.common.redact.Redaction;
import io.sluice.ops.replay.OffsetsFile;
import io.sluice.ops.replay.TopicSelection;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice replay}: plans, and with {@code --execute} applies, a move of an idle group's offsets for a rerun,
 * through {@link Replayer}; Kafka's {@code kafka-consumer-groups --reset-offsets} conventions.
 */
@Command(name = "replay",
        description = {
                "Plan a move of a stopped consumer group's offsets, or a reset of a Streams application, so that its next "
                        + "run re-reads; --execute carries the plan out. Without --execute nothing changes.",
                "Refuses while the group has active members, and for an unknown group, topic or partition. A sink (rows in "
                        + "sluice_offsets; needs --pg-url or SLUICE_PG_URL of its database) has its stored offsets moved in "
                        + "one PostgreSQL transaction, then Kafka's; a database without the sink's offsets is refused unless "
                        + "--force. A Streams application (a sluice application id, or one with <id>-...-changelog/-repartition "
                        + "topics) gets a full reset by Kafka's StreamsResetter: input topics to the target, internal "
                        + "topics deleted, and its local state <state-dir>/<id> deleted on this machine (delete it on "
                        + "other machines too). Targets are clamped to each partition's [log start, log end], with a "
                        + "warning per partition."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice replay --group sluice-etl-sink --to-earliest",
                "  sluice replay --group sluice-etl-sink --to-earliest --execute",
                "  sluice replay --group sluice-etl-flattener --to-datetime 2026-11-23T08:00:00Z --execute",
                "  sluice replay --group sluice-fetcher --topic backfill.fetch:0,2 --shift-by -1000 --execute",
                "  sluice replay --group sluice-resolver --by-duration PT1H --execute",
                "  sluice replay --group old-group --delete"})
public final class ReplayCommand implements Callable<Integer> {

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

        @Option(names = "--to-latest", required = true, description = "To the log end (skip what is not read yet).")
        boolean latest;

        @Option(names = "--to-current", required = true, description = "To the committed offset (the log end where none).")
        boolean current;

        @Option(names = "--to-datetime", required = true, paramLabel = "T",
                description = "To the first record at or after T, ISO-8601 with a zone, e.g. 2026-11-23T08:00:00Z.")
        String datetime;

        @Option(names = "--by-duration", required = true, paramLabel = "PnDTnHnMnS",
                description = "To the first record at or after now minus this ISO-8601 duration, e.g. PT1H, P1DT12H.")
        String duration;

        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "To offset N on every partition.")
        Long offset;

        @Option(names = "--shift-by", required = true, paramLabel = "N",
                description = "By N from the current offset (negative: back).")
        Long shift;

        @Option(names = "--from-file", required = true, paramLabel = "CSV",
                description = "To the offsets in this file, topic,partition,offset per line (Kafka's format); "
                        + "only its partitions move.")
        Path file;

        @Option(names = "--delete", required = true,
                description = "Delete the group (no members; not a Streams application), as kafka-consumer-groups --delete. "
                        + "A sink's sluice_offsets rows stay.")
        boolean delete;
    }

    @Option(names = "--topic", paramLabel = "NAME[:P,...]",
            description = "Only this topic, or these partitions of it (t:0,2); repeat for several "
                    + "(default: the topics the group has offsets for).")
    List<String> topics = List.of();

    @Option(names = "--execute", description = "Carry the plan out (without it, print the plan and change nothing).")
    boolean execute;

    // Plan-only was opt-in before plan-by-default; accepted, and a no-op, for one release.
    @Option(names = "--dry-run", hidden = true)
    boolean dryRun;

    @Option(names = "--force", description = "Replay a sink although the database given holds no offsets for it.")
    boolean force;

    @Option(names = "--streams-app",
            description = "Reset --group as a Streams application even if it is not recognised as one (a stateless "
                    + "application with an id of your own has no internal topics to tell it by).")
    boolean streamsApp;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The --state-dir the Streams application ran with, if it was given one; its local state "
                    + "there is deleted. Default: the directories sluice chooses, "
                    + "${sys:java.io.tmpdir}/sluice-streams/<application id>[.N], one per instance that ran on this host.")
    Path stateDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<TopicSelection> selection = topics.stream()
                .map(t -> OptionValues.parse(spec, "--topic", () -> TopicSelection.parse(t))).toList();
        if (target.file != null && !selection.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--from-file names its partitions: drop --topic");
        }
        if (execute && dryRun) throw new ParameterException(spec.commandLine(), "--execute and --dry-run are exclusive");
        ReplayTarget t = target.delete ? null : target();
        Optional<DataSource> postgres = OpsOptions.postgres(connection);
        if (!target.delete && postgres.isEmpty() && Replayer.SINK_GROUPS.contains(group) && !force) {
            throw new ParameterException(spec.commandLine(), group + " is a sink that keeps its offsets in PostgreSQL: "
                    + "give --pg-url or set SLUICE_PG_URL, or the rerun would not re-read");
        }
        String pgLabel = connection.postgresIfGiven().map(pg -> Redaction.url(pg.jdbcUrl())).orElse("(none)");
        try (Admin admin = OpsOptions.admin(connection)) {
            Replayer replayer = new Replayer(admin, connection.kafka(), postgres, Optional.ofNullable(stateDir), pgLabel);
            if (target.delete) {
                boolean stored = replayer.delete(group);
                out.println("deleted group " + group + (stored ? " (its sluice_offsets rows stay: the sink resumes from them)" : ""));
                return 0;
            }
            ReplayPlan plan = replayer.plan(group, t, selection, streamsApp, force);
            out.print(render(plan));
            if (!execute) {
                out.println("plan only, nothing changed: add --execute to carry it out");
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
        if (target.latest) return new ReplayTarget.ToLatest();
        if (target.current) return new ReplayTarget.ToCurrent();
        if (target.offset != null) {
            OptionValues.inRange(spec, "--to-offset", target.offset, 0, Long.MAX_VALUE);
            return new ReplayTarget.ToOffset(target.offset);
        }
        if (target.shift != null) return new ReplayTarget.ShiftBy(target.shift);
        if (target.duration != null) {
            return OptionValues.parse(spec, "--by-duration", () -> {
                try {
                    return new ReplayTarget.ByDuration(Duration.parse(target.duration));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + target.duration + "' is not an ISO-8601 duration, e.g. PT1H or P1DT12H");
                }
            });
        }
        if (target.file != null) {
            OptionValues.existingFile(spec, "--from-file", target.file);
            return OptionValues.parse(spec, "--from-file", () -> OffsetsFile.read(target.file));
        }
        try {
            return new ReplayTarget.ToDatetime(OffsetDateTime.parse(target.datetime).toInstant());
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--to-datetime: '" + target.datetime
                    + "' is not an ISO-8601 date-time with a zone, e.g. 2026-11-23T08:00:00Z or 2026-11-23T09:00:00+01:00");
        }
    }

    /** What a reset of the DCB decider does, said before it is done: a rebuild, not a re-decision. */
    static final String DECIDER_RESET = String.join(System.lineSeparator(),
            "  this is the DCB decider: a reset rebuilds its stores from its log, it does not decide old commands again.",
            "  On start it reads dcb.events (the source of truth) and rebuilds its positions, index and idempotency",
            "  keys from it. A command read again whose request id or Idempotency-Key appended is answered with its",
            "  first result and appends nothing; one that appended nothing (condition failed, rejected) is decided",
            "  again and appends nothing either. dcb.events is not changed; commands not decided yet are decided as usual.",
            "");

    static String render(ReplayPlan plan) {
        StringBuilder sb = new StringBuilder();
        String how = switch (plan.kind()) {
            case CONSUMER -> "consumer group: Kafka offsets";
            case SINK -> "sink: sluice_offsets in PostgreSQL, then Kafka offsets";
            case STREAMS -> "Streams application: full reset";
        };
        sb.append(String.format(Locale.ROOT, "replay %s (%s) %s%n", plan.groupId(), how, describe(plan.target())));
        if (plan.kind() == ReplayPlan.Kind.STREAMS && StreamsApps.isDecider(plan.groupId(), plan.internalTopics())) {
            sb.append(DECIDER_RESET);
        }
        int width = Math.max(5, plan.moves().stream().mapToInt(m -> m.topic().length()).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9s  %15s  %15s%n", "TOPIC", "PARTITION", "CURRENT", "TARGET"));
        for (Move m : plan.moves()) {
            String current = m.current().isPresent() ? String.format(Locale.ROOT, "%,d", m.current().getAsLong()) : "-";
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9d  %15s  %,15d%n", m.topic(), m.partition(), current, m.target()));
        }
        for (Move m : plan.clamped()) {
            sb.append(String.format(Locale.ROOT, "  warning: %s-%d: %s%n", m.topic(), m.partition(), m.clamp().orElseThrow()));
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
            case ReplayTarget.ToLatest l -> "to the latest offsets";
            case ReplayTarget.ToCurrent c -> "to the current offsets";
            case ReplayTarget.ToDatetime d -> "to " + d.at();
            case ReplayTarget.ByDuration d -> "to now minus " + d.duration();
            case ReplayTarget.ToOffset o -> "to offset " + o.offset();
            case ReplayTarget.ShiftBy s -> "shifted by " + s.delta();
            case ReplayTarget.FromFile f -> "to the offsets in " + f.file();
        };
    }
}
