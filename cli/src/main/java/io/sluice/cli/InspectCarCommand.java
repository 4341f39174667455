package io.sluice.cli;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.repo.InspectCar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
                        + "the commit, as the backfill fetcher does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the CAR is a readable repository (missing or corrupt blocks are counted in the summary)",
                "1:the file cannot be read, or is not a repository CAR (the reason is printed)",
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

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        OptionValues.existingFile(spec, "FILE", file);
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), false, StandardCharsets.UTF_8);
        try {
            InspectCar.run(file, out, summary);
        } catch (AtprotoFormatException e) {
            out.flush();
            return fail(err, name + ": " + file + " is not a valid repository CAR: " + e.getMessage());
        } finally {
            out.close();
        }
        return 0;
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return 1;
    }
}
