package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The figure of a takeover test (SIGKILL one instance of a pool, time until the survivor does its
 * work): one line {@code TAKEOVER <stage>: 6.8 s (target 10 s)} on standard output and appended to
 * {@code target/takeover.txt} of the module, which {@code .ci/run} prints after the build (failsafe
 * sends a test's standard output to a report file).
 */
public final class TakeoverReport {

    private TakeoverReport() {
    }

    /** Prints and records the line; returns the measured seconds. */
    public static double report(String stage, Duration measured, Duration target) {
        double seconds = measured.toMillis() / 1000.0;
        write(String.format(Locale.ROOT, "TAKEOVER %s: %.1f s (target %d s)", stage, seconds, target.toSeconds()));
        return seconds;
    }

    /** A figure beside the target's, e.g. when the first offsets were committed after the takeover. */
    public static void observed(String what, Duration measured) {
        write(String.format(Locale.ROOT, "TAKEOVER %s: %.1f s", what, measured.toMillis() / 1000.0));
    }

    /** Another figure of failover and reruns, e.g. {@code RERUN expired fetch tasks: ...}. */
    public static void figure(String line) {
        write(line);
    }

    private static void write(String line) {
        System.out.println(line);
        try {
            Path file = Path.of("target", "takeover.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
