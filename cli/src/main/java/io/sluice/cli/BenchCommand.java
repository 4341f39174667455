package io.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice bench}: the workload benchmarks, one subcommand each; alone it prints its usage as a usage error. */
@Command(name = "bench",
        description = "Benchmark a workload end to end against an in-process baseline.",
        subcommands = {BenchDcbCommand.class})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return picocli.CommandLine.ExitCode.USAGE;
    }
}
