package io.sluice.schemas.serde;

import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.etl.UserRow;
import io.sluice.schemas.etl.UserRows;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled writer and reader against Avro's own, on random instances of every generated class:
 * the same bytes, and the same objects back (arrays as lists, as {@link ListSpecificData} reads them).
 */
class CompiledSpecificTest {

    private static final List<Class<? extends IndexedRecord>> CLASSES = List.of(UserRows.class, UserRow.class, Event.class,
            AppendCommand.class, AppendResult.class, DidWorkItem.class, DidStatus.class, FetchTask.class, RateLimitSignal.class,
            RepoRecord.class, ResolvedDid.class);

    private final Random random = new Random(4);

    @Test
    void theEtlBundleAndTheDcbEventCompile() {
        for (Class<?> type : List.of(UserRows.class, Event.class)) {
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            assertThat(CompiledSpecific.writer(schema, model)).as("writer of %s", type).isNotNull();
            assertThat(CompiledSpecific.reader(schema, ListSpecificData.forClass(type))).as("reader of %s", type).isNotNull();
        }
    }

    @Test
    void writesAvrosBytesAndReadsAvrosObjects() throws IOException {
        for (Class<? extends IndexedRecord> type : CLASSES) {
            SpecificData model = SpecificData.getForClass(type);
            ListSpecificData listModel = ListSpecificData.forClass(type);
            Schema schema = model.getSchema(type);
            DatumWriter<Object> compiledWriter = CompiledSpecific.writer(schema, model);
            DatumReader<Object> compiledReader = CompiledSpecific.reader(schema, listModel);
            if (compiledWriter == null) {
                assertThat(compiledReader).as("reader of %s", type).isNull(); // both or neither: same types supported
                continue;
            }
            @SuppressWarnings("unchecked")
            DatumWriter<Object> avroWriter = (DatumWriter<Object>) model.createDatumWriter(schema);
            @SuppressWarnings("unchecked")
            DatumReader<Object> avroReader = (DatumReader<Object>) listModel.createDatumReader(schema, schema);
            for (int n = 0; n < 300; n++) {
                Object value = value(schema, model, 0);
                byte[] expected = encode(avroWriter, value);
                assertThat(encode(compiledWriter, value)).as("%s #%d", type.getSimpleName(), n).isEqualTo(expected);
                Object avroRead = avroReader.read(null, DecoderFactory.get().binaryDecoder(expected, null));
                Object compiledRead = compiledReader.read(null, DecoderFactory.get().binaryDecoder(expected, null));
                assertThat(compiledRead).isEqualTo(avroRead).isEqualTo(value).isInstanceOf(type);
            }
        }
    }

    private static byte[] encode(DatumWriter<Object> writer, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A random value of {@code schema} as the generated classes hold it. */
    private Object value(Schema schema, SpecificData model, int depth) {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 250_000_000_000_000L));
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Date) return LocalDate.ofEpochDay(random.nextInt(-700_000, 2_900_000));
        return switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) model.newRecord(null, schema);
                for (Schema.Field f : schema.getFields()) r.put(f.pos(), value(f.schema(), model, depth + 1));
                yield r;
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                int n = depth > 4 ? 0 : random.nextInt(4);
                for (int i = 0; i < n; i++) items.add(value(schema.getElementType(), model, depth + 1));
                yield items;
            }
            case UNION -> {
                List<Schema> types = schema.getTypes();
                Schema branch = types.get(random.nextInt(types.size()));
                yield branch.getType() == Schema.Type.NULL ? null : value(branch, model, depth + 1);
            }
            case ENUM -> model.createEnum(schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())), schema);
            case MAP -> new java.util.HashMap<>(java.util.Map.of("k" + random.nextInt(9), value(schema.getValueType(), model, depth + 1)));
            case STRING -> random.nextInt(5) == 0 ? "" : "s" + random.nextInt() + (random.nextBoolean() ? " é 😀 ü" : "");
            case BYTES -> ByteBuffer.wrap(new byte[]{(byte) random.nextInt(), 1, 2});
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case LONG -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(300);
            case INT -> random.nextBoolean() ? random.nextInt() : random.nextInt(300) - 100;
            case BOOLEAN -> random.nextBoolean();
            case DOUBLE -> random.nextDouble() * 1e6;
            case FLOAT -> random.nextFloat();
            case NULL -> null;
        };
    }
}
