package io.sluice.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Sends what is written to {@code System.err} (the logs: logback's console appender writes to
 * whatever {@code System.err} is at the time) to a file until closed, then restores the old stream.
 * Writers made from the old stream before (picocli's {@code getErr()}) keep writing to the terminal.
 */
final class StderrToFile implements AutoCloseable {

    private final PrintStream original;
    private final PrintStream file;
    private final Path path;

    private StderrToFile(PrintStream original, PrintStream file, Path path) {
        this.original = original;
        this.file = file;
        this.path = path;
    }

    static StderrToFile start(Path path) throws IOException {
        PrintStream file = new PrintStream(new FileOutputStream(path.toFile(), true), true);
        PrintStream original = System.err;
        System.setErr(file);
        return new StderrToFile(original, file, path);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        System.setErr(original);
        file.close();
    }
}
