package io.sluice.cli;

import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.InvalidLine;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.publish.PublishSummary;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sluice publish-dids FILE|-}: publishes a DID list to {@code backfill.dids}, the start of a
 * backfill (logic in {@link DidPublisher}). The summary goes to stdout; progress, the invalid lines
 * and errors to stderr.
 */
@Command(name = "publish-dids",
        mixinStandardHelpOptions = true,
        description = {
                "Publish a list of DIDs to backfill.dids to start a backfill.",
                "FILE has one DID a line (did:plc:... or did:web:...); blank lines and lines starting with # "
                        + "are skipped, whitespace is trimmed. Each line is checked against the atproto DID "
                        + "syntax; each distinct DID is published once, keyed by the DID, with one run id. "
                        + "Valid DIDs are published even when some lines are invalid; the invalid ones are "
                        + "listed with their line numbers, control characters escaped (\\u001b). Memory "
                        + "stays small for any list length and any line length."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every line was a DID, blank or a comment (or --skip-invalid was given)",
                "1:publishing failed (Kafka, registry or the file)",
                "2:bad usage",
                "3:some lines were not DIDs; the valid ones were published"})
final class PublishDidsCommand implements Callable<Integer> {

    static final int EXIT_INVALID_LINES = 3;
    private static final int MAX_PRINTED_INVALID = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions kafka;

    @Parameters(paramLabel = "FILE|-", description = "The DID list; - reads standard input.")
    String file;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id carried by every DidWorkItem (letters, digits, . _ : -). "
                    + "Default: a new one, like run-20250314T091500Z-3f9a.")
    String runId;

    @Option(names = "--skip-invalid", description = "Exit 0 even when some lines are not DIDs.")
    boolean skipInvalid;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TopicNames.BACKFILL_DIDS,
            description = "Topic to publish to (default: ${DEFAULT-VALUE}); created with "
                    + TopicAdmin.DEFAULT_PARTITIONS + " partitions when missing.")
    String topic;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "" + DidPublisher.DEFAULT_MAX_LINE_BYTES,
            description = "Longest line accepted, in bytes (default: ${DEFAULT-VALUE}; a DID is at most 2048); "
                    + "a longer line is invalid (line too long) and skipped without being held in memory.")
    int maxLineBytes;

    /** Up to 16 MiB: beyond that a line is not a DID list's and the limit would no longer protect the heap. */
    static final int MAX_MAX_LINE_BYTES = 16 * 1024 * 1024;

    @Override
    public Integer call() throws IOException {
        OptionValues.inRange(spec, "--max-line-bytes", maxLineBytes, 64, MAX_MAX_LINE_BYTES);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PublishDidsConfig config;
        try {
            config = PublishDidsConfig.of(kafka.kafkaAndRegistry(), runId).withTopic(topic);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        boolean stdin = "-".equals(file);
        Path path = stdin ? null : OptionValues.existingFile(spec, "FILE", Path.of(file));
        ClusterCheck.verify(config.connection()); // a wrong password fails here, not in silent retries
        ProgressDisplay progress = ProgressDisplay.forTerminal(err);
        PublishSummary summary;
        try (DidPublisher publisher = DidPublisher.create(config);
             InputStream in = stdin ? System.in : Files.newInputStream(path)) {
            summary = publisher.publish(in, stdin ? -1 : Files.size(path), maxLineBytes, progress);
        } finally {
            progress.finish();
        }
        printSummary(summary, out);
        printInvalid(summary, err);
        return summary.hasInvalid() && !skipInvalid ? EXIT_INVALID_LINES : 0;
    }

    static void printSummary(PublishSummary s, PrintWriter out) {
        double seconds = Math.max(1e-3, s.elapsed().toNanos() / 1e9);
        out.printf(Locale.ROOT, "published %,d DIDs to %s, run id %s%n", s.published(), s.topic(), s.runId());
        out.printf(Locale.ROOT, "  lines       %,12d%n", s.lines());
        out.printf(Locale.ROOT, "  published   %,12d%n", s.published());
        out.printf(Locale.ROOT, "  duplicates  %,12d%n", s.duplicates());
        out.printf(Locale.ROOT, "  invalid     %,12d%n", s.invalid());
        out.printf(Locale.ROOT, "  time        %12.1f s (%,.0f lines/s)%n", seconds, s.lines() / seconds);
        out.flush();
    }

    static void printInvalid(PublishSummary s, PrintWriter err) {
        if (!s.hasInvalid()) return;
        err.printf(Locale.ROOT, "%,d invalid lines:%n", s.invalid());
        s.invalidLines().stream().limit(MAX_PRINTED_INVALID).map(InvalidLine::toString).forEach(l -> err.println("  " + l));
        long more = s.invalid() - Math.min(MAX_PRINTED_INVALID, s.invalidLines().size());
        if (more > 0) err.printf(Locale.ROOT, "  ... and %,d more%n", more);
        err.flush();
    }
}
