package io.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Checks of option values that picocli's type conversion cannot make (a rate like {@code 20/s}, a range,
 * a file that must exist), as usage errors (exit 2) that name the option, like picocli's own.
 */
public final class OptionValues {

    private OptionValues() {
    }

    /** {@code parse}'s result; its IllegalArgumentException becomes a usage error naming {@code option}. */
    public static <T> T parse(CommandSpec spec, String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(spec, option, e);
        }
    }

    /** A usage error for {@code option}, whose value {@code e} refused; the option is named once. */
    public static ParameterException usage(CommandSpec spec, String option, IllegalArgumentException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "invalid value" : e.getMessage();
        return new ParameterException(spec.commandLine(), message.contains(option) ? message : option + ": " + message, e);
    }

    /** Fails with a usage error naming {@code option} unless {@code min <= value <= max}. */
    public static long inRange(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
            throw new ParameterException(spec.commandLine(), option + " must be " + range + ", got " + value);
        }
        return value;
    }

    /** {@code file}, when it is a readable regular file; else a usage error naming {@code option}. */
    public static Path existingFile(CommandSpec spec, String option, Path file) {
        String problem = !Files.exists(file) ? "no such file" : !Files.isRegularFile(file) ? "not a regular file"
                : !Files.isReadable(file) ? "not readable" : null;
        if (problem != null) throw new ParameterException(spec.commandLine(), option + " " + file + ": " + problem);
        return file;
    }
}
