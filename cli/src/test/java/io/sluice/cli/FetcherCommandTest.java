package io.sluice.cli;

import io.sluice.backfill.fetch.FetcherConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetcherCommandTest {

    @Test
    void optionsBecomeTheFetcherConfig() {
        FetcherCommand command = new FetcherCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r/apis/ccompat/v7",
                "--group", "g", "--max-in-flight", "16", "--block-memory-mb", "64", "--max-attempts", "3",
                "--allow-private-host", "127.0.0.1", "--allow-private-host", "LOCALHOST", "--max-record-depth", "200",
                "--max-json-per-car-byte", "5", "--max-record-bytes", "2048");
        FetcherConfig config = command.config();
        assertThat(config.connection().bootstrapServers()).isEqualTo("k:9092");
        assertThat(config.groupId()).isEqualTo("g");
        assertThat(config.maxInFlight()).isEqualTo(16);
        assertThat(config.maxPendingTasks()).isEqualTo(64);
        assertThat(config.blockMemoryBytes()).isEqualTo(64L << 20);
        assertThat(config.retry().maxAttempts()).isEqualTo(3);
        assertThat(config.allowedPrivateHosts()).isEqualTo(Set.of("127.0.0.1", "localhost"));
        assertThat(config.topics()).isEqualTo(FetcherConfig.TopicSet.defaults());
        assertThat(config.maxRecordDepth()).isEqualTo(200);
        assertThat(config.maxJsonPerCarByte()).isEqualTo(5);
        assertThat(config.maxRecordBytes()).isEqualTo(2048);
    }

    @Test
    void givenTheSinksDatabaseItSkipsUnchangedRepositoriesUnlessRefetch() {
        FetcherCommand command = new FetcherCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r",
                "--pg-url", "jdbc:postgresql://db:5432/sluice?user=u&password=secret", "--stored-schema", "backfill");
        FetcherConfig config = command.config();
        assertThat(config.storedDatabase()).hasValueSatisfying(db -> {
            assertThat(db.schema()).isEqualTo("backfill");
            assertThat(db.toString()).doesNotContain("secret");
        });
        assertThat(config.skipsUnchanged()).isTrue();

        FetcherCommand refetch = new FetcherCommand();
        new CommandLine(refetch).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r",
                "--pg-url", "jdbc:postgresql://db:5432/sluice", "--refetch");
        assertThat(refetch.config().refetch()).isTrue();
        assertThat(refetch.config().skipsUnchanged()).isFalse();

        FetcherCommand noDatabase = new FetcherCommand();
        new CommandLine(noDatabase).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLUICE_PG_URL") == null);
        assertThat(noDatabase.config().skipsUnchanged()).isFalse();
    }

    @Test
    void theInstanceIdEndsTheClientIds() {
        FetcherCommand command = new FetcherCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r", "--instance-id", "node-2");
        FetcherConfig config = command.config();
        assertThat(config.consumerOverrides()).containsEntry("client.id", "sluice-fetcher-node-2");
        assertThat(config.producerOverrides()).containsEntry("client.id", "sluice-fetcher-node-2");

        FetcherCommand byDefault = new FetcherCommand();
        new CommandLine(byDefault).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLUICE_INSTANCE_ID") == null);
        assertThat(byDefault.config().consumerOverrides().get("client.id").toString())
                .startsWith("sluice-fetcher-").endsWith("-" + ProcessHandle.current().pid());

        FetcherCommand bad = new FetcherCommand();
        assertThatThrownBy(() -> new CommandLine(bad).parseArgs("--bootstrap-server", "k:9092", "--instance-id", "a b"))
                .hasMessageContaining("--instance-id");
    }

    @Test
    void theRecordLimitsDefaultToWhatTheReferencePdsAccepts() {
        FetcherCommand command = new FetcherCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r/apis/ccompat/v7");
        FetcherConfig config = command.config();
        assertThat(config.maxRecordDepth()).isEqualTo(512).isGreaterThanOrEqualTo(140);
        assertThat(config.maxJsonPerCarByte()).isEqualTo(20);
        assertThat(config.maxRecordBytes()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> {
            FetcherCommand deep = new FetcherCommand();
            new CommandLine(deep).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r", "--max-record-depth", "5000");
            deep.config();
        }).hasMessageContaining("max record depth must be 1..1024");
    }

    @Test
    void withoutKafkaItSaysWhatToSet() {
        FetcherCommand command = new FetcherCommand();
        new CommandLine(command).parseArgs("--registry-url", "http://r");
        command.connection.values.bootstrap = null; // the environment of the build machine must not matter
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLUICE_KAFKA_BOOTSTRAP") == null);
        assertThatThrownBy(command::config).hasMessageContaining("--bootstrap-server").hasMessageContaining("SLUICE_KAFKA_BOOTSTRAP");
    }

    @Test
    void aMissingRegistryIsAUsageErrorWithOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = Sluice.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("fetcher", "--bootstrap-server", "127.0.0.1:1", "--registry-url", " ");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLUICE_REGISTRY_URL") == null);
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no --registry-url given and SLUICE_REGISTRY_URL is not set");
    }
}
