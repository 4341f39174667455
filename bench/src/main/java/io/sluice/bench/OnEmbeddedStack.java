package io.sluice.bench;

import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * How a {@code sluice bench} workload runs: on the embedded stack (or the services the command's
 * connection options name, with their client and registry settings), progress lines on stderr, then the {@link BenchResult} on stdout, as the summary
 * or, with {@code --json}, one JSON object.
 */
public final class OnEmbeddedStack {

    /** A benchmark given the stack's endpoints and a progress sink. */
    @FunctionalInterface
    public interface Benchmark {
        BenchResult run(StackEndpoints stack, Consumer<String> progress) throws Exception;
    }

    private OnEmbeddedStack() {
    }

    /** Runs {@code benchmark} on the stack {@code config} describes and prints its result; exit code 0. */
    public static int run(StackConfig config, Benchmark benchmark, boolean json, PrintWriter out, PrintWriter err)
            throws Exception {
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        BenchResult result;
        try (EmbeddedStack stack = EmbeddedStack.start(config.withProgress(progress))) {
            result = benchmark.run(stack.endpoints(), progress);
        }
        if (json) {
            out.println(result.toJson());
            out.flush();
        } else {
            result.print(out);
        }
        return 0;
    }
}
