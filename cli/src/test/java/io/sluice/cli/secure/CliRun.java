package io.sluice.cli.secure;

import io.sluice.cli.Sluice;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/** One {@code sluice} command run in-process as {@code main} would run it: exit code, stdout, stderr, duration. */
public record CliRun(int exit, String out, String err, Duration took) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Asserts exit 0 and returns stdout. */
    public String ok() {
        if (exit != 0) throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return out;
    }

    public String output() {
        return out + err;
    }
}
