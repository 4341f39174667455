package io.sluice.cli.bench;

import io.sluice.bench.backfill.BackfillBenchSettings;
import io.sluice.cli.Sluice;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice bench backfill}'s options, checked before any stack starts. */
class BackfillBenchCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void aHostLimitMustBePerSecond() {
        assertThat(run("bench", "backfill", "--host-limit", "20/m")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--host-limit must be per second");
    }

    @Test
    void recordsAreARange() {
        assertThat(run("bench", "backfill", "--records", "10-200")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--records must be MIN..MAX");
        assertThat(run("bench", "backfill", "--records", "20..10")).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void moreHostsThanDidsIsAUsageError() {
        assertThat(run("bench", "backfill", "--dids", "5", "--hosts", "10")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--hosts must be 1..dids");
    }

    @Test
    void theSettingsCarryTheLimit() {
        BackfillBenchCommand command = new BackfillBenchCommand();
        new CommandLine(command).parseArgs("--dids", "100", "--hosts", "5", "--host-limit", "20/s", "--records", "5..30");
        BackfillBenchSettings s = command.settings();
        assertThat(s.hostLimit()).hasValue(20);
        assertThat(s.minRecords()).isEqualTo(5);
        assertThat(s.maxRecords()).isEqualTo(30);
    }

    @Test
    void roundsAreCarriedAndAtLeastOne() {
        BackfillBenchCommand command = new BackfillBenchCommand();
        new CommandLine(command).parseArgs("--dids", "100", "--hosts", "5", "--rounds", "3");
        assertThat(command.settings().rounds()).isEqualTo(3);

        assertThat(run("bench", "backfill", "--rounds", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--rounds must be >= 1");
    }

    @Test
    void aChartIsWrittenAsSvgOnly() {
        assertThat(run("bench", "backfill", "--chart", "backfill.png")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("must end in .svg");
    }
}
