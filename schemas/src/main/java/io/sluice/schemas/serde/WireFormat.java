package io.sluice.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent wire format every sluice topic carries: byte 0 is the magic byte 0, bytes 1..4 the
 * schema id (big-endian int), the rest the Avro binary encoding of the datum under that schema.
 * Any tool that speaks the Confluent Schema Registry API can read such records.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus the 4-byte schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId}. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * The schema id in a framed payload.
     *
     * @param topic where the payload came from, for the error message
     * @param isKey whether it is a record key, for the error message
     * @throws SerializationException when the payload is shorter than the header or does not start
     *                                with the magic byte: it was not written by a Confluent-format serializer
     */
    public static int schemaId(byte[] payload, String topic, boolean isKey) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException(what(topic, isKey) + " is not in the Confluent wire format: "
                    + payload.length + " bytes, shorter than the " + HEADER_SIZE + "-byte header (magic byte 0, 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(what(topic, isKey) + " is not in the Confluent wire format: magic byte "
                    + String.format("0x%02x", payload[0] & 0xff) + ", expected 0x00"
                    // A Deserializer is not told the partition and offset; the consumer adds them
                    // (RecordDeserializationException) around this exception.
                    + " (partition and offset: see the enclosing consumer error)");
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8) | (payload[4] & 0xff);
    }

    static String what(String topic, boolean isKey) {
        return (isKey ? "key" : "value") + " of topic " + topic;
    }
}
