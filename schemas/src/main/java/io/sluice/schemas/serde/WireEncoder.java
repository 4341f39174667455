package io.sluice.schemas.serde;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes one Avro datum in the Confluent wire format (header, then Avro binary) into an array of its
 * exact size. A buffered encoder, and an output buffer sized from the largest payload so far: bundles
 * and change events are several KB, and growing a small buffer by doubling, through an unbuffered
 * encoder that hands every field to the stream, was a visible share of the flattener's CPU.
 * Thread-safe; one instance per serializer, so the size fits one kind of payload.
 */
public final class WireEncoder {

    private static final int INITIAL_SIZE = 256;
    /** Beyond this, one odd payload should not make every later buffer as large. */
    private static final int MAX_SIZE_HINT = 1024 * 1024;

    private volatile int sizeHint = INITIAL_SIZE;

    /** The framed bytes; whatever the writer throws (Avro reports bad data as runtime exceptions) propagates. */
    public <T> byte[] encode(int schemaId, DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        WireFormat.writeHeader(out, schemaId);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        int size = out.size();
        if (size > sizeHint && size <= MAX_SIZE_HINT) sizeHint = size;
        return out.toByteArray();
    }
}
