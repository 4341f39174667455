package io.sluice.schemas.serde;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every value sluice consumes passes the Confluent wire-format deserializer first, and a topic can be
 * written by anyone with access. The first byte picks the reader: {@code r} the raw bytes as a
 * RepoRecord value (header included, so bad magic bytes and unknown ids are fuzzed too), otherwise a
 * valid header for RepoRecord, AppendCommand or UserRows followed by the fuzzed Avro body.
 * Invariants: a value decodes or throws Kafka's {@link SerializationException} (which the stages
 * dead-letter), never another exception or an Error; what decodes survives a round trip.
 */
class WireFormatFuzzTest {

    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    private static final Reader<?>[] READERS = {
            new Reader<>(RepoRecord.class, RepoRecord.getClassSchema().toString()),
            new Reader<>(AppendCommand.class, AppendCommand.getClassSchema().toString()),
            new Reader<>(UserRows.class, UserRows.getClassSchema().toString())};

    private record Reader<T extends SpecificRecord>(Class<T> type, int id, AvroDeserializer<T> deserializer,
                                                    AvroSerializer<Object> serializer) {
        Reader(Class<T> type, String schema) {
            this(type, REGISTRY.register("fuzz-" + type.getSimpleName() + "-value",
                            new org.apache.avro.Schema.Parser().parse(schema)),
                    new AvroDeserializer<>(REGISTRY, type, false), new AvroSerializer<>(REGISTRY, true, false));
        }
    }

    @FuzzTest(maxDuration = "10s")
    void deserialize(byte[] input) {
        if (input.length == 0) return;
        Reader<?> reader;
        byte[] value;
        if (input[0] == 'r') {
            reader = READERS[0];
            value = Arrays.copyOfRange(input, 1, input.length);
        } else {
            reader = READERS[Math.floorMod(input[0], READERS.length)];
            value = ByteBuffer.allocate(WireFormat.HEADER_SIZE + input.length - 1).put(WireFormat.MAGIC_BYTE)
                    .putInt(reader.id()).put(input, 1, input.length - 1).array();
        }
        Object decoded;
        try {
            decoded = reader.deserializer().deserialize("fuzz-" + reader.type().getSimpleName(), value);
        } catch (SerializationException expected) {
            return;
        }
        if (decoded == null) return;
        String topic = "fuzz-" + reader.type().getSimpleName();
        assertEquals(decoded, reader.deserializer().deserialize(topic, reader.serializer().serialize(topic, decoded)));
    }
}
