package io.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A token file that cannot serve is a usage error naming the option, before anything starts; the token is never echoed. */
class HttpAuthOptionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void aMissingOrEmptyTokenFileIsAUsageError(@TempDir Path dir) throws Exception {
        for (String command : new String[] {"dcb-api", "monitor"}) {
            assertThat(run(command, "--bootstrap-server", "127.0.0.1:1", "--auth-token-file", dir.resolve("absent").toString()))
                    .as(command).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).contains("--auth-token-file", "absent");
        }
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(run("dcb-api", "--bootstrap-server", "127.0.0.1:1", "--auth-token-file", empty.toString()))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--auth-token-file", "empty");
        assertThat(run("monitor", "--bootstrap-server", "127.0.0.1:1", "--auth-metrics")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--auth-metrics", "needs --auth-token-file");
    }

    @Test
    void helpSaysMetricsAreExemptByDefault() {
        for (String command : new String[] {"dcb-api", "monitor"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("--auth-token-file", "--auth-metrics", "/metrics is exempt");
        }
    }
}
