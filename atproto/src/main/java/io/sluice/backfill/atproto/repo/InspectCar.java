package io.sluice.backfill.atproto.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.backfill.atproto.car.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output of {@code sluice inspect-car FILE}: one JSON line per record,
 * {@code {"did", "collection", "rkey", "cid", "record"}} in key order, or with the summary flag
 * only the {@link RepoSummary#toJson() summary} line. The picocli wrapper lives in {@code cli/}.
 */
public final class InspectCar {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private InspectCar() {
    }

    public static RepoSummary run(Path car, PrintStream out, boolean summaryOnly) throws IOException {
        return run(car, out, summaryOnly, Limits.DEFAULT);
    }

    public static RepoSummary run(Path car, PrintStream out, boolean summaryOnly, Limits limits) throws IOException {
        RecordSink sink = summaryOnly ? RecordSink.NONE : record -> out.println(line(record));
        RepoSummary summary;
        try (InputStream in = Files.newInputStream(car)) {
            summary = RepoParser.parse(in, limits, sink);
        }
        if (summaryOnly) {
            out.println(summary.toJson());
        }
        return summary;
    }

    /** One record as a JSON line; the record's own JSON is embedded as an object, not a string. */
    public static String line(RepoRecord record) {
        StringWriter out = new StringWriter(record.json().length() + 160);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("did", record.did());
            gen.writeStringField("collection", record.collection());
            gen.writeStringField("rkey", record.rkey());
            gen.writeStringField("cid", record.cid().toString());
            gen.writeFieldName("record");
            gen.writeRawValue(record.json());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a StringWriter failed", e);
        }
        return out.toString();
    }
}
