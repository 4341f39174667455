package io.sluice.cli;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarFormatException;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.repo.InspectCar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sluice inspect-car FILE}: prints the records of a repository CAR file as JSON lines, or
 * with {@code --summary} one JSON summary line (the output is {@link InspectCar}'s).
 */
@Command(name = "inspect-car",
        mixinStandardHelpOptions = true,
        description = {
                "Print the records of an atproto repository CAR file as JSON lines.",
                "FILE is a repository export (com.atproto.sync.getRepo). One line per record, in key order: {\"did\", \"collection\", \"rkey\", \"cid\", \"record\"}. "
                        + "Every block is checked against its CID and the Merkle Search Tree is walked from "
                        + "the commit, as the backfill fetcher does. Records are printed as they are found; "
                        + "memory is bounded by --block-memory-mb, whatever the CAR holds."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the CAR is a readable repository (missing or corrupt blocks are counted in the summary)",
                "1:the file cannot be read, is not a repository CAR, or is over a limit (the reason, and the option "
                        + "that raises the limit, is printed)",
                "2:bad usage"})
final class InspectCarCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The CAR file, e.g. from "
            + "curl 'https://PDS/xrpc/com.atproto.sync.getRepo?did=DID' -o repo.car")
    Path file;

    @Option(names = "--summary", description = "Print only a summary: DID, rev, root, blocks, records per "
            + "collection, bad CIDs, missing blocks.")
    boolean summary;

    @Option(names = "--max-block-mb", defaultValue = "2", description = "Largest block accepted (default ${DEFAULT-VALUE}).")
    int maxBlockMb;

    @Mixin
    CarOptions car;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        OptionValues.existingFile(spec, "FILE", file);
        InspectCar.Options options = options();
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), false, StandardCharsets.UTF_8);
        try {
            InspectCar.run(file, out, options);
        } catch (CarFormatException e) {
            out.flush();
            if (e.reason() != CarFormatException.Reason.LIMIT_EXCEEDED) return notARepository(err, name, e);
            return fail(err, name + ": " + file + " is over a limit: " + e.getMessage() + CarOptions.raiseWith(e.getMessage()));
        } catch (AtprotoFormatException e) {
            out.flush();
            return notARepository(err, name, e);
        } catch (IOException | UncheckedIOException e) {
            // the CAR or a spill file (a full disk, an unwritable --spill-dir): the class names which
            out.flush();
            return fail(err, name + ": " + file + " could not be read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            out.close();
        }
        return 0;
    }

    private InspectCar.Options options() {
        OptionValues.inRange(spec, "--max-block-mb", maxBlockMb, 1, Integer.MAX_VALUE / CarOptions.MB);
        InspectCar.Options defaults = InspectCar.Options.defaults(summary);
        Limits limits = car.limits((int) (maxBlockMb * CarOptions.MB));
        Long blockMemory = car.blockMemoryBytes();
        Path spillDir = car.spillDir();
        return new InspectCar.Options(summary, limits, blockMemory == null ? defaults.blockMemoryBytes() : blockMemory,
                spillDir == null ? defaults.spillDir() : spillDir);
    }

    private int notARepository(PrintWriter err, String name, AtprotoFormatException e) {
        return fail(err, name + ": " + file + " is not a valid repository CAR: " + e.getMessage());
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return 1;
    }
}
