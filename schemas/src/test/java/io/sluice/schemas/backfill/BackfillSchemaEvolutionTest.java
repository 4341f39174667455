package io.sluice.schemas.backfill;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.generic.GenericDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 changed DidStatus (PARTIAL, dead_lettered) and RepoRecord (record_cbor): both stay BACKWARD
 * compatible, as the registry checks.
 */
class BackfillSchemaEvolutionTest {

    @Test
    void theNewSchemasReadWhatTheOldOnesWrote() throws IOException {
        assertCompatible(DidStatus.getClassSchema(), previous("DidStatus-before-partial.avsc"));
        assertCompatible(RepoRecord.getClassSchema(), previous("RepoRecord-before-cbor.avsc"));
        // issue 17: DidStatus.rev
        assertCompatible(DidStatus.getClassSchema(), previous("DidStatus-before-rev.avsc"));
    }

    /**
     * A reader older than PARTIAL cannot read it (its enum had no default): upgrade the records sink
     * before the fetchers. From now on the enum's default makes a later state read as FAILED.
     */
    @Test
    void aStateAddedLaterReadsAsFailed() throws IOException {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(previous("DidStatus-before-partial.avsc"),
                DidStatus.getClassSchema()).getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
        Schema later = new Schema.Parser().parse(DidStatus.getClassSchema().toString()
                .replace("\"PARTIAL\"]", "\"PARTIAL\",\"LATER\"]"));
        assertCompatible(DidStatus.getClassSchema(), later);
        GenericRecord written = new GenericData.Record(later);
        written.put("did", "did:plc:a");
        written.put("state", new GenericData.EnumSymbol(later.getField("state").schema(), "LATER"));
        written.put("records", 9L);
        written.put("bytes", 0L);
        written.put("attempts", 1);
        written.put("updated_at", 0L);
        written.put("run_id", "r");
        written.put("dead_lettered", 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(later).write(written, encoder);
        encoder.flush();
        GenericRecord read = new GenericDatumReader<GenericRecord>(later, DidStatus.getClassSchema(), GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.get("state").toString()).isEqualTo("FAILED");
        assertThat(read.get("records")).isEqualTo(9L);
    }

    private static void assertCompatible(Schema reader, Schema writer) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType())
                .as("%s reading %s", reader.getFullName(), writer.getFullName())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema previous(String name) throws IOException {
        try (InputStream in = BackfillSchemaEvolutionTest.class.getResourceAsStream("/previous/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }
}
