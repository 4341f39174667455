package io.sluice.testing.fault;

import io.sluice.stack.fault.FaultRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fault suite's table: one {@link FaultRow} per scenario, printed as a {@code FAULT | ...} line on standard output
 * and appended to the module's {@code target/faults.txt} (which {@code .ci/run} prints after the build:
 * failsafe sends a test's output to a report file) and, as a JSON object, to the array in
 * {@code target/faults.json}.
 */
public final class FaultTable {

    private static final Path DIR = Path.of("target");

    private FaultTable() {
    }

    /** Prints and records {@code row}. */
    public static synchronized void record(FaultRow row) {
        System.out.println(row.line());
        try {
            Files.createDirectories(DIR);
            Path text = DIR.resolve("faults.txt");
            if (!Files.exists(text)) append(text, FaultRow.HEADER);
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
}
