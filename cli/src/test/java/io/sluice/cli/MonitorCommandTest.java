package io.sluice.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhatIsWrong() {
        assertThat(run("monitor", "--bootstrap-server", "127.0.0.1:1", "--ratelimiter-metrics", "ftp://x/metrics"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--ratelimiter-metrics must be an http(s) URL");

        assertThat(run("monitor", "--bootstrap-server", "127.0.0.1:1", "--interval-ms", "10")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--interval-ms must be >= 100");

        assertThat(run("monitor", "--bootstrap-server", "127.0.0.1:1", "--port", "70000")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("port must be 0..65535");
    }

    @Test
    void helpNamesThePageTheApiAndTheSources() {
        StringWriter out = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).execute("monitor", "--help");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--port", "--ratelimiter-metrics", "/api/state", "SLUICE_PG_URL", "SLUICE_KAFKA_BOOTSTRAP");
    }
}
