package io.sluice.backfill.atproto.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.store.BlockStore;
import io.sluice.backfill.atproto.store.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The output of {@code sluice inspect-car FILE}: one JSON line per record,
 * {@code {"did", "collection", "rkey", "cid", "record"}} in key order, or with the summary flag
 * only the {@link RepoSummary#toJson() summary} line. Each record is written as the walk reaches
 * it, straight to the stream, so memory does not grow with the output, however many keys name the
 * same large block. The picocli wrapper lives in {@code cli/}.
 */
public final class InspectCar {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * What one run may use, checked here once.
     *
     * @param limits           CAR bounds; past them the run fails with a {@code LIMIT_EXCEEDED} error
     * @param blockMemoryBytes heap for the blocks and their index; beyond it they spill to {@code spillDir}
     * @param spillDir         where the unlinked spill files go
     */
    public record Options(boolean summaryOnly, Limits limits, long blockMemoryBytes, Path spillDir) {

        public Options {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(spillDir, "spillDir");
            if (blockMemoryBytes < 0) {
                throw new IllegalArgumentException("block memory must not be negative, got " + blockMemoryBytes);
            }
        }

        /** {@link Limits#DEFAULT}, {@link MemoryBudget#defaultCapacity()}, java.io.tmpdir. */
        public static Options defaults(boolean summaryOnly) {
            return new Options(summaryOnly, Limits.DEFAULT, MemoryBudget.defaultCapacity(),
                    Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    private InspectCar() {
    }

    public static RepoSummary run(Path car, PrintStream out, boolean summaryOnly) throws IOException {
        return run(car, out, Options.defaults(summaryOnly));
    }

    public static RepoSummary run(Path car, PrintStream out, Options options) throws IOException {
        RecordSink sink = options.summaryOnly() ? RecordSink.NONE : record -> line(record, out);
        RepoSummary summary;
        try (InputStream in = Files.newInputStream(car);
             BlockStore store = new BlockStore(new MemoryBudget(options.blockMemoryBytes()), options.spillDir())) {
            summary = RepoParser.parse(in, options.limits(), store, sink);
        }
        if (options.summaryOnly()) {
            out.println(summary.toJson());
        }
        return summary;
    }

    /** One record as a JSON line; the record's own JSON is embedded as an object, not a string. */
    static void line(RepoRecord record, PrintStream out) {
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            gen.writeStartObject();
            gen.writeStringField("did", record.did());
            gen.writeStringField("collection", record.collection());
            gen.writeStringField("rkey", record.rkey());
            gen.writeStringField("cid", record.cid().toString());
            gen.writeFieldName("record");
            gen.writeRawValue(record.json());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a record line failed", e);
        }
        out.println();
    }
}
