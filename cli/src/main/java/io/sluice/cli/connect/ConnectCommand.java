package io.sluice.cli.connect;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice connect}: the Kafka Connect side of the ETL workload; without a subcommand, its usage. */
@Command(name = "connect",
        description = "Manage the Debezium MongoDB source connector on Kafka Connect.",
        subcommands = {ConnectRegisterCommand.class})
public final class ConnectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return picocli.CommandLine.ExitCode.USAGE;
    }
}
