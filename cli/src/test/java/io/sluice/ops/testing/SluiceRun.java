package io.sluice.ops.testing;

import io.sluice.cli.Sluice;
import io.sluice.testing.TestStack;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code sluice} command run in-process against the test stack, with {@code --bootstrap-server}
 * and {@code --pg-url} appended.
 */
public record SluiceRun(int exit, String out, String err) {

    public static SluiceRun of(TestStack stack, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", stack.bootstrapServers(), "--pg-url", stack.postgres().jdbcUrlWithCredentials()));
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new SluiceRun(exit, out.toString(), err.toString());
    }

    /** Asserts exit 0 and returns stdout. */
    public String ok() {
        if (exit != 0) throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return out;
    }
}
