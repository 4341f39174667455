package io.sluice.cli;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StackCommandTest {

    private static final StackEndpoints ENDPOINTS = new StackEndpoints("127.0.0.1:39211",
            "http://127.0.0.1:38080/apis/ccompat/v7",
            new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "it's $ecret"));

    @Test
    void printsEachConnectionStringAndAnExportLine() {
        StringWriter out = new StringWriter();

        StackCommand.printEndpoints(ENDPOINTS, new PrintWriter(out));

        assertThat(out.toString())
                .contains("Kafka bootstrap servers   127.0.0.1:39211")
                .contains("Schema registry (ccompat) http://127.0.0.1:38080/apis/ccompat/v7")
                .contains("PostgreSQL JDBC URL       jdbc:postgresql://127.0.0.1:5432/postgres")
                .contains("PostgreSQL user           postgres")
                .contains("export SLUICE_KAFKA_BOOTSTRAP=127.0.0.1:39211"
                        + " SLUICE_REGISTRY_URL=http://127.0.0.1:38080/apis/ccompat/v7"
                        + " SLUICE_PG_URL='jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=it'\\''s $ecret'");
    }

    @Test
    void printsTheSettingsOfGivenServicesAndTheCommandConfigButNoCredential() {
        ConnectionSettings secured = new ConnectionSettings("kafka.example:9096",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cr3t\";"),
                new RegistrySettings("https://registry.example", Map.of("basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "u:s3cr3t")));
        StackEndpoints given = new StackEndpoints("kafka.example:9096", "https://registry.example",
                new PostgresEndpoint("jdbc:postgresql://db.example:5432/sluice", "sluice", "s3cr3t"), secured);
        StringWriter out = new StringWriter();

        StackCommand.printEndpoints(StackCommand.withoutPassword(given), Optional.of(Path.of("/etc/sluice/client.properties")),
                new PrintWriter(out));

        assertThat(out.toString())
                .contains("Kafka bootstrap servers   kafka.example:9096")
                .contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "basic.auth.credentials.source=USER_INFO")
                .contains(" SLUICE_CLIENT_CONFIG=/etc/sluice/client.properties")
                .doesNotContain("s3cr3t");
    }

    @Test
    void exportLineSetsTheVariablesInAShell() throws Exception {
        assumeTrue(new File("/bin/sh").canExecute(), "needs /bin/sh");
        String script = StackCommand.exportLine(ENDPOINTS)
                + "; printf '%s\\n' \"$SLUICE_KAFKA_BOOTSTRAP\" \"$SLUICE_REGISTRY_URL\" \"$SLUICE_PG_URL\"";
        Process sh = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String output = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(output.lines()).containsExactly(ENDPOINTS.bootstrapServers(), ENDPOINTS.registryUrl(),
                ENDPOINTS.postgres().jdbcUrlWithCredentials());
    }

    @Test
    void shellQuoteLeavesPlainWordsAlone() {
        assertThat(StackCommand.shellQuote("kafka:9092,other:9092")).isEqualTo("kafka:9092,other:9092");
        assertThat(StackCommand.shellQuote("a b")).isEqualTo("'a b'");
        assertThat(StackCommand.shellQuote("")).isEqualTo("''");
        assertThat(StackCommand.shellQuote("x?y&z")).isEqualTo("'x?y&z'");
    }

    @Test
    void envFileHoldsTheExportLineAndIsPrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stack.env");
        Files.writeString(file, "stale");

        StackCommand.writeEnvFile(file, StackCommand.exportLine(ENDPOINTS));

        assertThat(file).hasContent(StackCommand.exportLine(ENDPOINTS));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void givenServicesThatDoNotAnswerFailNamingEachOneAndNeverSayUp() {
        StackCommand command = new StackCommand();
        command.checkTimeout = Duration.ofSeconds(2);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int code = cli.execute("--bootstrap-server", "127.0.0.1:1",
                "--registry-url", "http://127.0.0.1:1/apis/ccompat/v7",
                "--pg-url", "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).doesNotContain("is up").doesNotContain("export ");
        assertThat(err.toString())
                .contains("not up: Kafka:").contains("127.0.0.1:1")
                .contains("not up: schema registry:").contains("http://127.0.0.1:1/apis/ccompat/v7")
                .contains("not up: PostgreSQL:").contains("jdbc:postgresql://127.0.0.1:1/postgres");
    }
}
