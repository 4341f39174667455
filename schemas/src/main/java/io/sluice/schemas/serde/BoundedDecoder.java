package io.sluice.schemas.serde;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Decoder} over one payload that refuses any length or item count larger than the payload
 * itself, before anything is allocated. Avro's own decoder allocates a string, bytes or array of
 * whatever length the data claims and only then finds the data too short: five bytes claiming a
 * 1 GiB string took a consumer with {@code -Xmx512m} to OutOfMemoryError (found by
 * {@code WireFormatFuzzTest}). Here such a value is an {@link IOException}, which the deserializer
 * turns into a SerializationException, a dead letter like any other corrupt value.
 *
 * <p>Every item of the schemas sluice reads takes at least one byte, so no valid array has more
 * items than the payload has bytes. Everything else is passed to the delegate.
 */
final class BoundedDecoder extends Decoder {

    private final Decoder in;
    private final int payloadBytes;

    BoundedDecoder(Decoder in, int payloadBytes) {
        this.in = in;
        this.payloadBytes = payloadBytes;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        byte[] bytes = new byte[length("string")];
        in.readFixed(bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes");
        ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.arrayOffset(), length);
        return result.limit(length);
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return count(in.skipArray(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return count(in.skipMap(), "map");
    }

    private int length(String what) throws IOException {
        long length = in.readLong();
        if (length < 0 || length > payloadBytes) {
            throw new IOException(what + " of " + length + " bytes in a value of " + payloadBytes + " bytes");
        }
        return (int) length;
    }

    private long count(long items, String what) throws IOException {
        if (items < 0 || items > payloadBytes) {
            throw new IOException(what + " block of " + items + " items in a value of " + payloadBytes + " bytes");
        }
        return items;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
