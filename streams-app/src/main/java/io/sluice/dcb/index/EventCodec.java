package io.sluice.dcb.index;

import io.sluice.dcb.query.StoredEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The value layout of {@code dcb-events-by-position}: an event's type and tags, which is all a
 * condition check needs to verify a candidate ({@code data} stays in dcb.events). A hand-rolled
 * length-prefixed layout: no registry, no schema id, a few bytes per string.
 * <pre>  len(4) type-utf8  count(4)  { len(4) tag-utf8 }*</pre>
 */
final class EventCodec {

    private EventCodec() {
    }

    static byte[] encode(String type, Collection<String> tags) {
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        List<byte[]> tagBytes = new ArrayList<>(tags.size());
        int size = Integer.BYTES + typeBytes.length + Integer.BYTES;
        for (String tag : tags) {
            byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
            tagBytes.add(bytes);
            size += Integer.BYTES + bytes.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(typeBytes.length).put(typeBytes).putInt(tagBytes.size());
        for (byte[] bytes : tagBytes) buffer.putInt(bytes.length).put(bytes);
        return buffer.array();
    }

    static StoredEvent decode(long position, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        String type = string(buffer);
        int count = buffer.getInt();
        List<String> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) tags.add(string(buffer));
        return new StoredEvent(position, type, tags);
    }

    private static String string(ByteBuffer buffer) {
        int length = buffer.getInt();
        String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }
}
