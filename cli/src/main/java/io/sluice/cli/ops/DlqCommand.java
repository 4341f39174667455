package io.sluice.cli.ops;

import io.sluice.ops.dlq.DeadLetters;
import io.sluice.ops.dlq.DlqEntry;
import io.sluice.ops.dlq.DlqReplay;
import io.sluice.ops.dlq.DlqSelection;
import io.sluice.ops.dlq.DlqSummary;
import io.sluice.ops.dlq.ValueDecoder;
import io.sluice.cli.ConnectionOptions;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sluice dlq}: lists, shows and replays dead letters, through {@link DeadLetters}. */
@Command(name = "dlq",
        description = {
                "List the dead-letter topics (names ending in .dlq) with their entries per stage and reason; show "
                        + "entries; send chosen entries back to their source topic after a fix.",
                "Each topic is read from its start to its end as the command starts (at most --max-records "
                        + "entries per topic); nothing is consumed or committed. Every stage writes the same "
                        + "headers: sluice.dlq.topic, .partition, .offset (the source record), .stage, .reason, "
                        + ".error.class, .error.message; the key and value are the source record's bytes.",
                "--replay sends the selected entries' key and value bytes, with their own headers and "
                        + "sluice.replayed.from=<dlq>-<partition>@<offset>, to the topic in sluice.dlq.topic, "
                        + "and prints what it sent; --dry-run prints what it would send."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice dlq",
                "  sluice dlq --topic etl.dlq --show 5",
                "  sluice dlq --topic backfill.dlq --stage resolver --reason retries-exhausted --replay --dry-run",
                "  sluice dlq --topic dcb.dlq --offset 12..20 --replay",
                "  sluice dlq --json | jq '.topics[] | {topic, read}'"})
public final class DlqCommand implements Callable<Integer> {

    /** Values shown longer than this are cut. */
    static final int MAX_SHOWN_CHARS = 2_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** The registry, when given, decodes Avro keys and values for --show; without it they show as text or hex. */
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "NAME", description = "Only this dead-letter topic (default: every *.dlq topic).")
    String topic;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only entries of this stage (sluice.dlq.stage), e.g. resolver.")
    String stage;

    @Option(names = "--reason", paramLabel = "REASON", description = "Only entries with this reason (sluice.dlq.reason), e.g. deserialization.")
    String reason;

    @Option(names = "--partition", paramLabel = "P", description = "Only entries in this partition of the dead-letter topic.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "FROM[..TO]",
            description = "Only entries at these dead-letter offsets: one, or an inclusive range (as --show prints them).")
    String offsets;

    @Option(names = "--show", paramLabel = "N", description = "Print the last N selected entries of each topic, with "
            + "headers and decoded key and value.")
    Integer show;

    @Option(names = "--replay", description = "Send the selected entries back to their source topics.")
    boolean replay;

    @Option(names = "--dry-run", description = "With --replay: print what would be sent, send nothing.")
    boolean dryRun;

    @Option(names = "--max-records", paramLabel = "N", defaultValue = "1000000",
            description = "Read at most N entries per topic (default: ${DEFAULT-VALUE}).")
    long maxRecords;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DlqSelection selection = selection();
        DeadLetters dlq = new DeadLetters(clientProperties());
        if (replay) {
            List<DlqReplay> replays = dlq.replay(dlq.select(selection, maxRecords), dryRun);
            out.print(json ? DlqRender.replayJson(replays, dryRun, decoder()) : DlqRender.replayText(replays, dryRun));
        } else if (show != null) {
            List<DlqEntry> entries = dlq.last(selection, show, maxRecords);
            out.print(json ? DlqRender.entriesJson(entries, decoder()) : DlqRender.entriesText(entries, decoder()));
        } else {
            List<DlqSummary> summaries = dlq.summarize(selection, maxRecords);
            out.print(json ? DlqRender.summaryJson(summaries) : DlqRender.summaryText(summaries));
        }
        out.flush();
        return 0;
    }

    private DlqSelection selection() {
        if (dryRun && !replay) throw usage("--dry-run goes with --replay");
        if (replay && show != null) throw usage("--show and --replay are exclusive: --replay --dry-run shows what it would send");
        if (show != null && show < 1) throw usage("--show must be >= 1, got " + show);
        if (maxRecords < 1) throw usage("--max-records must be >= 1, got " + maxRecords);
        long[] range = {0, Long.MAX_VALUE};
        if (offsets != null) {
            try {
                range = DlqSelection.parseOffsets(offsets);
            } catch (IllegalArgumentException e) {
                throw usage("--offset: " + e.getMessage());
            }
        }
        if (partition != null && partition < 0) throw usage("--partition must be >= 0, got " + partition);
        return new DlqSelection(Optional.ofNullable(topic), Optional.ofNullable(stage), Optional.ofNullable(reason),
                Optional.ofNullable(partition), range[0], range[1]);
    }

    private Map<String, Object> clientProperties() {
        ConnectionSettings settings = connection.kafka();
        ClusterCheck.verify(settings);
        return settings.consumer();
    }

    private ValueDecoder decoder() {
        RegistrySettings settings = connection.kafka().registry();
        Optional<SchemaRegistryClient> registry = settings == null
                ? Optional.empty() : Optional.of(HttpSchemaRegistryClient.create(settings));
        return new ValueDecoder(registry, MAX_SHOWN_CHARS);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
