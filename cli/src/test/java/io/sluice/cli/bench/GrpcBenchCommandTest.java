package io.sluice.cli.bench;

import io.sluice.bench.grpc.GrpcBenchSettings;
import io.sluice.cli.Sluice;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice bench grpc}'s options, checked before any stack starts. */
class GrpcBenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void theDefaultsAreTheIssuesSizes() {
        GrpcBenchCommand command = new GrpcBenchCommand();
        new CommandLine(command).parseArgs();
        GrpcBenchSettings s = command.settings();
        assertThat(s.clients()).containsExactly(1, 64, 256);
        assertThat(s.readEvents()).isEqualTo(1_000_000);
        assertThat(s.subscribers()).containsExactly(1000, 10_000);
        assertThat(s.deliverySubscribers()).isEqualTo(1000);
    }

    @Test
    void listsAreCommaSeparated() {
        GrpcBenchCommand command = new GrpcBenchCommand();
        new CommandLine(command).parseArgs("--clients", "1,16", "--read-events", "5000", "--subscribers", "10,20", "--json");
        assertThat(command.settings().clients()).containsExactly(1, 16);
        assertThat(command.settings().subscribers()).containsExactly(10, 20);
        assertThat(command.settings().readEvents()).isEqualTo(5000);
        assertThat(command.json).isTrue();
    }

    @Test
    void aBadCountIsAUsageErrorNamingTheOption() {
        assertThat(run("bench", "grpc", "--clients", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--clients must be 1..1000");
        assertThat(run("bench", "grpc", "--subscribers", "20000")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--subscribers must be 1..10000");
    }

    @Test
    void benchListsIt() {
        run("bench", "--help");
        assertThat(out.toString() + err.toString()).contains("grpc");
    }
}
