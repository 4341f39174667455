package io.sluice.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.sluice.stack.StackConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every command that connects speaks the one connection vocabulary, and says clearly what is missing. */
class ConnectionOptionsTest {

    private static final List<String> CONNECTION = List.of("--bootstrap-server", "--registry-url", "--pg-url",
            "--command-config");

    /** The commands that start the embedded stack for what is not given: they take the same options. */
    private static final List<List<String>> EMBEDDED = List.of(List.of("dcb-api"), List.of("demo"), List.of("stack"),
            List.of("bench", "backfill"), List.of("bench", "etl"), List.of("bench", "dcb"));

    /** The commands that connect, with the arguments each needs besides the connection. */
    private static final Map<String, List<String>> CONNECTING = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void commands() throws IOException {
        Path dids = Files.writeString(dir.resolve("dids.txt"), "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa\n");
        CONNECTING.put("publish-dids", List.of(dids.toString()));
        CONNECTING.put("resolver", List.of());
        CONNECTING.put("ratelimiter", List.of());
        CONNECTING.put("fetcher", List.of());
        CONNECTING.put("records-sink", List.of());
        CONNECTING.put("generate-users", List.of("--users", "1"));
        CONNECTING.put("flattener", List.of());
        CONNECTING.put("etl-sink", List.of());
        CONNECTING.put("monitor", List.of());
        CONNECTING.put("lag", List.of());
        CONNECTING.put("replay", List.of("--group", "g", "--to-earliest"));
    }

    private final StringWriter err = new StringWriter();

    private int run(List<String> args) {
        return Sluice.commandLine().setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
    }

    @Test
    void every_connecting_command_accepts_the_four_connection_options() {
        CommandLine root = Sluice.commandLine();
        List<List<String>> commands = new ArrayList<>(EMBEDDED);
        CONNECTING.keySet().forEach(name -> commands.add(List.of(name)));
        for (List<String> path : commands) {
            CommandLine line = root;
            for (String name : path) line = line.getSubcommands().get(name);
            for (String option : CONNECTION) {
                assertThat(line.getCommandSpec().findOption(option)).as("%s %s", path, option).isNotNull();
            }
        }
    }

    @Test
    void a_command_with_any_connection_option_has_them_all_and_shows_the_old_spellings_nowhere() {
        List<String> checked = new ArrayList<>();
        walk(Sluice.commandLine(), spec -> {
            boolean any = CONNECTION.stream().anyMatch(o -> spec.findOption(o) != null);
            if (any) {
                checked.add(spec.qualifiedName());
                for (String option : CONNECTION) assertThat(spec.findOption(option)).as("%s %s", spec.qualifiedName(), option).isNotNull();
            }
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) continue;
                assertThat(option.names()).as(spec.qualifiedName())
                        .doesNotContain("--bootstrap", "--bootstrap-servers", "--registry");
            }
        });
        assertThat(checked).hasSizeGreaterThanOrEqualTo(CONNECTING.size() + EMBEDDED.size());
    }

    @Test
    void the_connection_options_are_one_section_of_the_help() {
        StringWriter out = new StringWriter();
        Sluice.commandLine().setOut(new PrintWriter(out, true)).execute("resolver", "--help");
        String help = out.toString();
        assertThat(help).contains("Connection:");
        String section = help.substring(help.indexOf("Connection:"));
        assertThat(section).contains("--bootstrap-server", "--registry-url", "--pg-url", "--command-config",
                "SLUICE_CLIENT_CONFIG");
    }

    @Test
    void a_missing_bootstrap_is_a_usage_error_naming_the_option_and_the_variable() {
        assumeTrue(System.getenv("SLUICE_KAFKA_BOOTSTRAP") == null && System.getenv("SLUICE_CLIENT_CONFIG") == null,
                "the environment names a broker");
        for (var command : CONNECTING.entrySet()) {
            List<String> args = new ArrayList<>(List.of(command.getKey(), "--registry-url", "http://127.0.0.1:1",
                    "--pg-url", "jdbc:postgresql://127.0.0.1:1/none"));
            args.addAll(command.getValue());
            err.getBuffer().setLength(0);
            assertThat(run(args)).as("%s: %s", command.getKey(), err).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).as(command.getKey()).contains("--bootstrap-server", "SLUICE_KAFKA_BOOTSTRAP");
        }
    }

    @Test
    void a_command_config_naming_a_missing_file_is_a_usage_error_naming_the_option() {
        Path missing = dir.resolve("no-such-client.properties");
        Map<String, List<String>> commands = new LinkedHashMap<>(CONNECTING);
        for (List<String> path : EMBEDDED) commands.put(String.join(" ", path), List.of());
        for (var command : commands.entrySet()) {
            List<String> args = new ArrayList<>(List.of(command.getKey().split(" ")));
            args.addAll(List.of("--bootstrap-server", "127.0.0.1:1",
                    "--registry-url", "http://127.0.0.1:1", "--pg-url", "jdbc:postgresql://127.0.0.1:1/none",
                    "--command-config", missing.toString()));
            args.addAll(command.getValue());
            err.getBuffer().setLength(0);
            assertThat(run(args)).as("%s: %s", command.getKey(), err).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).as(command.getKey()).contains("--command-config", missing.toString());
        }
    }

    @Test
    void a_command_config_error_never_prints_the_credential() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.properties"), """
                security.protocol=SASL_SSL
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="s3cr3t-pw";
                basic.auth.credentials.source=USER_INFO
                group.id=mine
                """);
        assertThat(run(List.of("resolver", "--bootstrap-server", "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1",
                "--command-config", file.toString()))).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--command-config", "group.id").doesNotContain("s3cr3t-pw");
    }

    @Test
    void a_given_cluster_takes_every_client_and_registry_setting_of_the_command_config_to_the_stack() throws IOException {
        Path file = Files.writeString(dir.resolve("stack.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                schema.registry.url=http://registry.example:8081
                basic.auth.credentials.source=USER_INFO
                basic.auth.user.info=u:p
                """);
        DcbApiCommand command = new DcbApiCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "kafka.example:9096", "--command-config", file.toString());

        StackConfig config = command.connection.stack(line -> { });

        assertThat(config.kafkaBootstrap()).contains("kafka.example:9096");
        assertThat(config.registryUrl()).contains("http://registry.example:8081");
        assertThat(config.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.registryProperties()).containsEntry("basic.auth.user.info", "u:p");
    }

    @Test
    void without_a_cluster_the_stack_is_embedded_and_a_command_config_naming_none_is_a_usage_error() throws IOException {
        assumeTrue(System.getenv("SLUICE_KAFKA_BOOTSTRAP") == null && System.getenv("SLUICE_CLIENT_CONFIG") == null,
                "the environment names a broker");
        DcbApiCommand embedded = new DcbApiCommand();
        new CommandLine(embedded).parseArgs();
        StackConfig config = embedded.connection.stack(line -> { });
        assertThat(config.kafkaBootstrap()).isEmpty();
        assertThat(config.clientProperties()).isEmpty();

        Path file = Files.writeString(dir.resolve("no-cluster.properties"), "security.protocol=SASL_SSL\n");
        DcbApiCommand secured = new DcbApiCommand();
        new CommandLine(secured).parseArgs("--command-config", file.toString());
        assertThatThrownBy(() -> secured.connection.stack(line -> { })).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--command-config").hasMessageContaining("bootstrap.servers");
    }

    @Test
    void the_old_spellings_still_work_as_hidden_aliases() {
        ResolveCommand command = new ResolveCommand();
        new CommandLine(command).parseArgs("--bootstrap=b:9092", "--registry=http://r:8081");
        assertThat(command.config().connection().bootstrapServers()).isEqualTo("b:9092");
        assertThat(command.config().connection().requireRegistry().url()).isEqualTo("http://r:8081");
    }

    private static void walk(CommandLine line, java.util.function.Consumer<CommandSpec> visit) {
        visit.accept(line.getCommandSpec());
        for (CommandLine sub : line.getSubcommands().values()) walk(sub, visit);
    }
}
