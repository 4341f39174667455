package io.sluice.cli;

import io.sluice.backfill.ratelimit.WindowAlignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The backfill commands' options, checked before anything connects anywhere. */
class CommandOptionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void withoutKafkaTheCommandSaysWhereToGetIt() {
        assertThat(run("publish-dids", "--bootstrap=", "--registry=http://r", "dids.txt")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no --bootstrap-server given and SLUICE_KAFKA_BOOTSTRAP is not set", "sluice stack");
    }

    @Test
    void aMissingDidFileFailsBeforeConnecting(@TempDir Path dir) {
        assertThat(run("publish-dids", "--bootstrap=127.0.0.1:1", "--registry=http://127.0.0.1:1",
                dir.resolve("missing.txt").toString())).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("missing.txt", "no such file");
    }

    @Test
    void aBadRunIdIsAUsageError() {
        assertThat(run("publish-dids", "--bootstrap=127.0.0.1:1", "--registry=http://127.0.0.1:1", "--run-id=a b", "x"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("run id must be");
    }

    @Test
    void resolverOptionsAreValidated() {
        assertThat(run("resolver", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--max-in-flight=0")).as("stderr %s", err)
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("maxInFlight must be 1..10000, got 0");
        assertThat(run("resolver", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--allow-network=localhost"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'localhost' is not ADDRESS[/PREFIX]");
        assertThat(run("resolver", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--plc-url=ftp://plc"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("plcDirectory must be an http(s) URL");
    }

    @Test
    void rateLimiterPoliciesAreValidatedBeforeConnecting() {
        assertThat(run("ratelimiter", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--default-policy=fast"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("fast", "3000/300s");
        assertThat(run("ratelimiter", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--host-policy=pds.example=0/s"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("at least 1 request");
        assertThat(run("ratelimiter", "--bootstrap=", "--registry=http://r"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no --bootstrap-server given");
    }

    @Test
    void theInstanceIdEndsTheResolversAndTheRateLimitersClientIds() {
        ResolveCommand resolver = new ResolveCommand();
        new CommandLine(resolver).parseArgs("--bootstrap=127.0.0.1:1", "--registry=http://r", "--instance-id=node-2");
        assertThat(resolver.config().clientId()).isEqualTo("sluice-resolver-node-2");

        RateLimiterCommand limiter = new RateLimiterCommand();
        new CommandLine(limiter).parseArgs("--bootstrap=127.0.0.1:1", "--registry=http://r", "--instance-id=node-2");
        assertThat(limiter.config().streamsOverrides()).containsEntry("client.id", "sluice-ratelimiter-node-2");
    }

    @Test
    void rateLimiterHostPoliciesAreReadLowerCased() {
        RateLimiterCommand command = new RateLimiterCommand();
        CommandLine line = new CommandLine(command);
        line.parseArgs("--bootstrap=127.0.0.1:1", "--registry=http://r", "--default-policy=20/s",
                "--host-policy=PDS.Example.com=5/s", "--application-id=x");
        var config = command.config();
        assertThat(config.applicationId()).isEqualTo("x");
        assertThat(config.defaultPolicy().toString()).isEqualTo("20/s");
        assertThat(config.policyFor("pds.example.com").toString()).isEqualTo("5/s");
        assertThat(config.timing().alignment()).isEqualTo(WindowAlignment.SLIDING);
    }

    @Test
    void rateLimiterWindowAlignmentIsAnOptionAndValidated() {
        RateLimiterCommand command = new RateLimiterCommand();
        new CommandLine(command).parseArgs("--bootstrap=127.0.0.1:1", "--registry=http://r", "--window-alignment=Epoch");
        assertThat(command.config().timing().alignment()).isEqualTo(WindowAlignment.EPOCH);
        assertThat(run("ratelimiter", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--window-alignment=fixed"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("invalid window alignment 'fixed'", "sliding, epoch");
    }

    @Test
    void theSinkNeedsPostgres() {
        assertThat(run("records-sink", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--pg-url="))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no --pg-url given and SLUICE_PG_URL is not set");
        assertThat(run("records-sink", "--bootstrap=127.0.0.1:1", "--registry=http://r", "--pg-url=postgres://x"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("must be a JDBC URL");
    }

    @Test
    void helpExplainsTheInputAndTheExitCodes() {
        assertThat(run("publish-dids", "--help")).isZero();
        assertThat(out.toString()).contains("FILE|-", "# are skipped", "--skip-invalid", "--run-id",
                "SLUICE_KAFKA_BOOTSTRAP", "3   some lines were not DIDs");
    }
}
