package io.sluice.testing.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The fault suite's table: one row per scenario, printed as a {@code FAULT | ...} line on standard output
 * and appended to the module's {@code target/faults.txt} (which {@code .ci/run} prints after the build:
 * failsafe sends a test's output to a report file) and, as a JSON object, to the array in
 * {@code target/faults.json}.
 */
public final class FaultTable {

    private static final Path DIR = Path.of("target");
    private static final String HEADER = "FAULT | workload | fault | sent | not yet in PostgreSQL | injected | lost | duplicated | recovery | restarts";

    private FaultTable() {
    }

    /**
     * One scenario's figures.
     *
     * @param workload   backfill, etl or dcb
     * @param fault      what was done, e.g. "broker restart (SIGTERM)" or "PostgreSQL outage 10 s"
     * @param sent       items sent into the pipeline when the fault began (DIDs published, changes produced,
     *                   appends sent)
     * @param pending    of those, the ones not yet in PostgreSQL then: the work in flight
     * @param injected   faults injected: restarts, or connections cut and attempts refused
     * @param lost       expected items absent at the end
     * @param duplicated items present more than once at the end
     * @param recovery   from the fault's end until PostgreSQL moved again
     * @param restarts   components that stopped on their own and were started again, as their supervisor would
     */
    public record Row(String workload, String fault, long sent, long pending, long injected, long lost, long duplicated,
                      Duration recovery, long restarts) {

        String line() {
            return String.format(Locale.ROOT, "FAULT | %-8s | %-26s | %6d sent | %6d not yet in PostgreSQL | %3d injected "
                            + "| %d lost | %d duplicated | %5.1f s recovery | %d restarts",
                    workload, fault, sent, pending, injected, lost, duplicated, recovery.toMillis() / 1000.0, restarts);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"workload\": %s, \"fault\": %s, \"sent\": %d, \"inFlight\": %d, "
                            + "\"injected\": %d, \"lost\": %d, \"duplicated\": %d, \"recoverySeconds\": %.1f, \"restarts\": %d}",
                    quote(workload), quote(fault), sent, pending, injected, lost, duplicated, recovery.toMillis() / 1000.0,
                    restarts);
        }
    }

    /** Prints and records {@code row}. */
    public static synchronized void record(Row row) {
        System.out.println(row.line());
        try {
            Files.createDirectories(DIR);
            Path text = DIR.resolve("faults.txt");
            if (!Files.exists(text)) append(text, HEADER);
            append(text, row.line());
            Path json = DIR.resolve("faults.json");
            String array = Files.exists(json) ? Files.readString(json, StandardCharsets.UTF_8).strip() : "[]";
            String body = array.substring(1, array.length() - 1).strip();
            Files.writeString(json, "[\n" + (body.isEmpty() ? "" : "  " + body + ",\n") + "  " + row.json() + "\n]\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
