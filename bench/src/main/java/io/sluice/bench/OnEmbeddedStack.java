package io.sluice.bench;

import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * How a {@code sluice bench} workload runs: on the embedded stack (or the services the {@code SLUICE_*}
 * variables name), progress lines on stderr, then the {@link BenchResult} on stdout, as the summary
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

    /** Runs {@code benchmark} and prints its result; exit code 0. */
    public static int run(Benchmark benchmark, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        BenchResult result;
        try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.fromEnvironment(System.getenv(), progress))) {
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
