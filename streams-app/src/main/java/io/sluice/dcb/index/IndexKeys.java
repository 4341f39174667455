package io.sluice.dcb.index;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of the {@code dcb-index} store's keys. Three families share the store:
 * <pre>
 *   posting:   'P' kind len(4) utf8 position(8)   value: empty         one per (event, type or tag)
 *   head:      'H' kind len(4) utf8               value: last(8) count(8)
 *   watermark: 'W'                                value: position(8)   the last event indexed
 * </pre>
 * kind is 'y' for an event type and 'g' for a tag. The length prefix keeps every (kind, value)
 * prefix-free ("a" never ranges into "ab"), and big-endian positions sort numerically because
 * positions are positive, so one range scan from {@code prefix + (after + 1)} to
 * {@code prefix + Long.MAX_VALUE} yields exactly one key's postings after {@code after}, in order.
 */
final class IndexKeys {

    static final byte TYPE = 'y';
    static final byte TAG = 'g';
    private static final byte POSTING = 'P';
    private static final byte HEAD = 'H';
    private static final Bytes WATERMARK = Bytes.wrap(new byte[] {'W'});
    private static final int POSITION_BYTES = Long.BYTES;

    private IndexKeys() {
    }

    static Bytes watermark() {
        return WATERMARK;
    }

    static Bytes head(byte kind, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(prefix(HEAD, kind, utf8, 0).array());
    }

    static Bytes posting(byte kind, String value, long position) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(prefix(POSTING, kind, utf8, POSITION_BYTES).putLong(position).array());
    }

    /** The position a posting key ends with. */
    static long positionOf(Bytes postingKey) {
        byte[] key = postingKey.get();
        return ByteBuffer.wrap(key, key.length - POSITION_BYTES, POSITION_BYTES).getLong();
    }

    private static ByteBuffer prefix(byte family, byte kind, byte[] utf8, int extra) {
        return ByteBuffer.allocate(2 + Integer.BYTES + utf8.length + extra).put(family).put(kind).putInt(utf8.length).put(utf8);
    }
}
