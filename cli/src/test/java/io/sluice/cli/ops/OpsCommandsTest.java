package io.sluice.cli.ops;

import io.sluice.cli.Sluice;
import io.sluice.ops.replay.ReplayPlan;
import io.sluice.ops.replay.ReplayTarget;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Usage errors of {@code lag} and {@code replay}, caught before any broker is contacted. */
class OpsCommandsTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void aReplayOfTheDeciderSaysItRebuildsFromTheLogBeforeItDoesIt() {
        ReplayPlan decider = new ReplayPlan("dcb-decider-x", ReplayPlan.Kind.STREAMS, new ReplayTarget.ToEarliest(),
                List.of(new ReplayPlan.Move("dcb.commands", 0, OptionalLong.of(40), 0)),
                List.of("dcb-decider-x-dcb-events-by-position-changelog", "dcb-decider-x-dcb-sequence-changelog"), List.of());
        assertThat(ReplayCommand.render(decider)).contains("a reset rebuilds its stores from its log", "appends nothing",
                "dcb.events is not changed");
        ReplayPlan other = new ReplayPlan("sluice-etl-flattener", ReplayPlan.Kind.STREAMS, new ReplayTarget.ToEarliest(),
                List.of(new ReplayPlan.Move("cdc.db.users", 0, OptionalLong.of(40), 0)), List.of(), List.of());
        assertThat(ReplayCommand.render(other)).doesNotContain("DCB decider");
    }

    @Test
    void replayNeedsExactlyOneTarget() {
        assertThat(run("replay", "--group", "g", "--bootstrap-server", "127.0.0.1:1")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--to-earliest", "--to-latest", "--to-current", "--to-datetime", "--by-duration",
                "--to-offset", "--shift-by", "--from-file", "--delete");
        assertThat(run("replay", "--group", "g", "--to-earliest", "--to-offset", "3")).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void replayRefusesABadDatetimeAndANegativeOffset() {
        assertThat(run("replay", "--group", "g", "--to-datetime", "yesterday", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'yesterday' is not an ISO-8601 date-time");
        assertThat(run("replay", "--group", "g", "--to-offset", "-1", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void replayRefusesABadDurationTopicOrOffsetsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertThat(run("replay", "--group", "g", "--by-duration", "1h", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--by-duration: '1h' is not an ISO-8601 duration");
        assertThat(run("replay", "--group", "g", "--to-earliest", "--topic", "t:a", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--topic: 't:a': partitions are numbers");
        java.nio.file.Path missing = dir.resolve("missing.csv");
        assertThat(run("replay", "--group", "g", "--from-file", missing.toString(), "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--from-file " + missing + ": no such file");
        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.csv"), "t,0\n");
        assertThat(run("replay", "--group", "g", "--from-file", bad.toString(), "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--from-file: " + bad + " line 1 't,0': expected topic,partition,offset");
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good.csv"), "t,0,1\n");
        assertThat(run("replay", "--group", "g", "--from-file", good.toString(), "--topic", "t", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--from-file names its partitions: drop --topic");
    }

    @Test
    void replayOfAKnownSinkWithoutPostgresIsAUsageError() {
        assertThat(run("replay", "--group", "sluice-etl-sink", "--to-earliest", "--bootstrap-server", "127.0.0.1:1", "--pg-url", ""))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("sluice-etl-sink is a sink that keeps its offsets in PostgreSQL");
    }

    @Test
    void lagRefusesABadInterval() {
        assertThat(run("lag", "--interval", "soon", "--bootstrap-server", "127.0.0.1:1")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void durationsAreShortOrIsoAndPositive() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> c.convert("0s")).hasMessageContaining("positive");
    }

    @Test
    void etaIsShortAndADashWhenNotDraining() {
        assertThat(LagTable.eta(Optional.empty())).isEqualTo("-");
        assertThat(LagTable.eta(Optional.of(Duration.ZERO))).isEqualTo("0s");
        assertThat(LagTable.eta(Optional.of(Duration.ofSeconds(185)))).isEqualTo("3m05s");
        assertThat(LagTable.eta(Optional.of(Duration.ofMinutes(121)))).isEqualTo("2h01m");
    }
}
