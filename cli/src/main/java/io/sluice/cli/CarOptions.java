package io.sluice.cli;

import io.sluice.backfill.atproto.car.Limits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --max-car-mb}, {@code --max-car-blocks}, {@code --block-memory-mb} and {@code --spill-dir}, shared by {@code fetcher} and
 * {@code inspect-car}: both read CARs through the same block store, so a CAR one refuses the other
 * refuses too, with the same option to raise the limit.
 */
public final class CarOptions {

    static final long MB = 1024 * 1024;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-car-mb", defaultValue = "256", description = "Largest repository CAR accepted (default ${DEFAULT-VALUE}).")
    long maxCarMb;

    @Option(names = "--max-car-blocks", defaultValue = "" + Limits.DEFAULT_MAX_BLOCKS,
            description = "Most blocks accepted in one repository CAR (default ${DEFAULT-VALUE}: more than --max-car-mb "
                    + "can hold at its default).")
    long maxCarBlocks;

    @Option(names = "--block-memory-mb",
            description = "Heap for CAR blocks and their index (a fetcher's downloads share it); the rest spills to disk "
                    + "(default: a quarter of the heap, at most 128).")
    Long blockMemoryMb;

    @Option(names = "--spill-dir", description = "Directory for spilled blocks (default: java.io.tmpdir).")
    Path spillDir;

    /** The CAR limits with {@code maxBlockBytes}; a bad value is a usage error. */
    Limits limits(int maxBlockBytes) {
        OptionValues.inRange(spec, "--max-car-mb", maxCarMb, 1, Long.MAX_VALUE / MB);
        OptionValues.inRange(spec, "--max-car-blocks", maxCarBlocks, 1, Long.MAX_VALUE);
        return OptionValues.parse(spec, "--max-car-mb", () -> new Limits(maxBlockBytes, maxCarMb * MB, maxCarBlocks));
    }

    /** The block budget in bytes, or null for the default. */
    Long blockMemoryBytes() {
        if (blockMemoryMb == null) return null;
        OptionValues.inRange(spec, "--block-memory-mb", blockMemoryMb, 0, Long.MAX_VALUE / MB);
        return blockMemoryMb * MB;
    }

    /** The spill directory, or null for the default; one that is not a directory is a usage error. */
    Path spillDir() {
        if (spillDir != null && !Files.isDirectory(spillDir)) {
            throw new ParameterException(spec.commandLine(), "--spill-dir " + spillDir + ": not a directory");
        }
        return spillDir;
    }

    /** The option that raises the limit a {@code LIMIT_EXCEEDED} message names, as " (raise it with ...)". */
    static String raiseWith(String message) {
        if (message.contains(Limits.MAX_TOTAL_BYTES)) return " (raise it with --max-car-mb)";
        if (message.contains(Limits.MAX_BLOCKS + "=")) return " (raise it with --max-car-blocks)";
        if (message.contains(Limits.MAX_BLOCK_BYTES)) return " (raise it with --max-block-mb)";
        return "";
    }
}
