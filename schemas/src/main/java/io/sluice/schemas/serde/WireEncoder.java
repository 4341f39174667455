package io.sluice.schemas.serde;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes one Avro datum in the Confluent wire format (header, then Avro binary) into an array of its
 * exact size. Each thread encodes into a buffer and a buffered encoder of its own, kept from call to
 * call: bundles and change events are several KB, and a fresh output buffer as large as the largest
 * payload so far, plus a fresh encoder buffer, for every record were most of what the flattener
 * allocated besides the record itself. The only array allocated per call is the result.
 * Thread-safe; a buffer grown past {@value #MAX_KEPT_SIZE} bytes by an odd payload is not kept.
 */
public final class WireEncoder {

    private static final int INITIAL_SIZE = 16 * 1024;
    private static final int MAX_KEPT_SIZE = 1024 * 1024;

    /** A thread's buffer and the encoder writing into it. */
    private static final class Scratch {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_SIZE);
        BinaryEncoder encoder;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The framed bytes; whatever the writer throws (Avro reports bad data as runtime exceptions) propagates. */
    public <T> byte[] encode(int schemaId, DatumWriter<T> writer, T datum) throws IOException {
        Scratch scratch = SCRATCH.get();
        ByteArrayOutputStream out = scratch.out;
        // Reconfiguring flushes what a failed call may have left in the encoder into the buffer, so the
        // buffer is emptied after it.
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, scratch.encoder);
        scratch.encoder = encoder;
        out.reset();
        WireFormat.writeHeader(out, schemaId);
        writer.write(datum, encoder);
        encoder.flush();
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_KEPT_SIZE) SCRATCH.remove();
        return bytes;
    }
}
