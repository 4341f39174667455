package io.sluice.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice demo}'s options, checked before the stack starts. */
class DemoCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void badSizesAreUsageErrors() {
        assertThat(run("demo", "--dids", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--dids must be >= 1, got 0");
        assertThat(run("demo", "--dids", "10", "--hosts", "20")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--hosts (20) must not exceed --dids (10)");
        assertThat(run("demo", "--timeout", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--timeout must be >= 1, got 0");
    }

    @Test
    void theHelpNamesTheSizesAndTheCheck() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--dids", "--hosts", "--users", "--dcb-appends", "--keep-running", "--json",
                "MISMATCH");
    }
}
