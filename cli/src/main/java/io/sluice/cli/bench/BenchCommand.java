package io.sluice.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice bench}: one subcommand per workload; without one, its usage. */
@Command(name = "bench",
        description = {
                "Benchmark a workload end to end on the embedded stack against an in-process baseline.",
                "Each benchmark runs sluice's Kafka path and an honest baseline on the same data in the same "
                        + "run, warm-up runs first, and prints a summary or, with --json, one JSON object.",
                "soak runs all three workloads under a repeating schedule of faults and checks nothing was lost "
                        + "or duplicated."},
        subcommands = {BackfillBenchCommand.class, EtlBenchCommand.class, DcbBenchCommand.class, GrpcBenchCommand.class, SoakBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
