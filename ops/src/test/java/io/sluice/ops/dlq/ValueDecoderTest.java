package io.sluice.ops.dlq;

import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueDecoderTest {

    private static final Schema USER = SchemaBuilder.record("User").fields().requiredString("name").requiredLong("id")
            .endRecord();
    private static final int USER_ID = 7;

    private final ValueDecoder decoder = new ValueDecoder(Optional.of(registry()), 64);

    @Test
    void wireFormatAvroIsShownAsJsonThroughTheRegistry() throws IOException {
        GenericRecord user = new GenericData.Record(USER);
        user.put("name", "ada");
        user.put("id", 42L);

        ValueDecoder.Decoded d = decoder.decode(wire(USER_ID, user));

        assertThat(d.form()).isEqualTo(ValueDecoder.Form.AVRO);
        assertThat(d.text()).isEqualTo("{\"name\": \"ada\", \"id\": 42}");
    }

    @Test
    void anUnknownSchemaIdOrNoRegistryFallsBackToTextOrHex() throws IOException {
        GenericRecord user = new GenericData.Record(USER);
        user.put("name", "ada");
        user.put("id", 42L);
        byte[] unknownId = wire(99, user);

        assertThat(decoder.decode(unknownId).form()).isEqualTo(ValueDecoder.Form.HEX);
        assertThat(new ValueDecoder(Optional.empty(), 64).decode(wire(USER_ID, user)).form()).isEqualTo(ValueDecoder.Form.HEX);
    }

    @Test
    void printableUtf8IsTextAndOtherBytesAreHexCutToTheBound() {
        assertThat(decoder.decode("not avro: é".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ValueDecoder.Decoded(ValueDecoder.Form.TEXT, "not avro: é"));
        assertThat(decoder.decode(new byte[] {(byte) 0xff, 0x00, 0x10}))
                .isEqualTo(new ValueDecoder.Decoded(ValueDecoder.Form.HEX, "ff0010"));
        assertThat(decoder.decode(new byte[100]).text()).startsWith("0000").endsWith("(100 bytes)");
        assertThat(decoder.decode("x".repeat(100).getBytes(StandardCharsets.UTF_8)).text()).endsWith("(100 chars)");
        assertThat(decoder.decode(null).form()).isEqualTo(ValueDecoder.Form.NULL);
    }

    private static byte[] wire(int id, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static SchemaRegistryClient registry() {
        return new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int lookup(String subject, Schema schema) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Schema schemaById(int id) {
                if (id != USER_ID) throw new IllegalArgumentException("no schema " + id);
                return USER;
            }

            @Override
            public String url() {
                return "mem://test";
            }
        };
    }
}
