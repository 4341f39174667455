package io.sluice.cli.etl;

import io.sluice.cli.Sluice;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** What the ETL commands do before they touch a service: usage errors that say what to set. */
class EtlCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Sluice.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void generateUsersWithoutKafkaNamesTheOptionAndTheVariable() {
        assertThat(run("generate-users", "--users", "10", "--bootstrap-server", " ")).isEqualTo(2);

        assertThat(err.toString()).contains("no --bootstrap-server given and SLUICE_KAFKA_BOOTSTRAP is not set");
    }

    @Test
    void generateUsersRefusesMoreUpdatesThanUsers() {
        assertThat(run("generate-users", "--users", "10", "--updates", "11")).isEqualTo(2);

        assertThat(err.toString()).contains("updates must be in 0..10");
    }

    @Test
    void generateUsersRefusesADatabaseNameWithADot() {
        assertThat(run("generate-users", "--users", "10", "--db", "a.b")).isEqualTo(2);

        assertThat(err.toString()).contains("database name must be non-empty and contain no '.'");
    }

    @Test
    void generateUsersNeedsUsers() {
        assertThat(run("generate-users")).isEqualTo(2);

        assertThat(err.toString()).contains("Missing required option: '--users=N'");
    }

    @Test
    void etlSinkWithoutPostgresNamesTheVariable() {
        assertThat(run("etl-sink", "--pg-url", "", "--bootstrap-server", "k:9092", "--registry-url", "http://r")).isEqualTo(2);

        assertThat(err.toString()).contains("no --pg-url given and SLUICE_PG_URL is not set");
    }

    @Test
    void etlSinkRefusesASchemaThatIsNoIdentifier() {
        assertThat(run("etl-sink", "--pg-url", "jdbc:postgresql://h/db", "--bootstrap-server", "k:9092",
                "--registry-url", "http://r", "--schema", "Bad-Schema")).isEqualTo(2);

        assertThat(err.toString()).contains("schema must match");
    }

    @Test
    void etlSinkRefusesADeleteRetentionThatIsNotPositive() {
        assertThat(run("etl-sink", "--pg-url", "jdbc:postgresql://h/db", "--bootstrap-server", "k:9092",
                "--registry-url", "http://r", "--delete-retention", "0s")).isEqualTo(2);

        assertThat(err.toString()).contains("--delete-retention", "must be a positive duration");
    }

    @Test
    void flattenerRefusesABadPattern() {
        assertThat(run("flattener", "--bootstrap-server", "k:9092", "--registry-url", "http://r", "--source-pattern", "cdc.(")).isEqualTo(2);

        assertThat(err.toString()).contains("--source-pattern is not a regular expression");
    }

    @Test
    void flattenerRefusesAnUnknownFieldPolicyListingTheAllowedOnes() {
        assertThat(run("flattener", "--bootstrap-server", "k:9092", "--registry-url", "http://r", "--unknown-fields", "drop"))
                .isEqualTo(2);

        assertThat(err.toString()).contains("--unknown-fields: unknown-field policy 'drop' is not one of: ignore, dlq");
    }

    @Test
    void theInstanceIdEndsTheFlattenersAndTheSinksClientIds() {
        FlattenerCommand flattener = new FlattenerCommand();
        new CommandLine(flattener).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r", "--instance-id", "node-2");
        assertThat(flattener.config().flattenerOverrides()).containsEntry("client.id", "sluice-flattener-node-2");

        EtlSinkCommand sink = new EtlSinkCommand();
        new CommandLine(sink).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r",
                "--pg-url", "jdbc:postgresql://127.0.0.1:5432/db?user=u&password=p", "--instance-id", "node-2");
        assertThat(sink.config().consumerOverrides()).containsEntry("client.id", "sluice-etl-sink-node-2")
                .containsKey("max.poll.records");
        assertThat(sink.config().producerOverrides()).containsEntry("client.id", "sluice-etl-sink-node-2-dlq");
    }

    @Test
    void helpOfEachCommandExplainsItAndItsVariables() {
        assertThat(run("generate-users", "--help")).isZero();
        assertThat(out.toString()).contains("cdc.<db>.users", "--snapshot", "--mongo-url", "SLUICE_KAFKA_BOOTSTRAP");
        assertThat(run("flattener", "--help")).isZero();
        assertThat(out.toString()).contains("exactly_once_v2", "SLUICE_FLATTENER_APP_ID");
        assertThat(run("etl-sink", "--help")).isZero();
        assertThat(out.toString()).contains("SLUICE_PG_URL", "SLUICE_ETL_SCHEMA", "--batch-size", "--delete-retention",
                "SLUICE_ETL_DELETE_RETENTION", "168h");
        assertThat(run("connect", "register", "--help")).isZero();
        assertThat(out.toString()).contains("/connectors/{name}/config", "SLUICE_CONNECT_URL");
        assertThat(run("bench", "etl", "--help")).isZero();
        assertThat(out.toString()).contains("ratio_vs_baseline", "--warmup", "--json");
    }

    @Test
    void aStreamsApplicationThatDiedIsAFailure() {
        assertThat(FlattenerCommand.failure(KafkaStreams.State.RUNNING)).isEmpty();
        assertThat(FlattenerCommand.failure(KafkaStreams.State.REBALANCING)).isEmpty();
        assertThat(FlattenerCommand.failure(KafkaStreams.State.ERROR)).get().extracting(Throwable::getMessage)
                .asString().contains("ERROR");
    }

    @Test
    void aSinkLoopThatEndedIsAFailureCarryingItsCause() {
        assertThat(EtlSinkCommand.failure(new CompletableFuture<>())).isEmpty();
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("disk full"));
        assertThat(EtlSinkCommand.failure(failed)).get().satisfies(e -> {
            assertThat(e.getMessage()).contains("the sink failed: disk full");
            assertThat(e.getCause()).hasMessage("disk full");
        });
    }
}
