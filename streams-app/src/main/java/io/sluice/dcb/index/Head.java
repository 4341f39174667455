package io.sluice.dcb.index;

import java.nio.ByteBuffer;

/**
 * What the index keeps per event type and per tag besides its postings: the newest position
 * carrying it (a condition whose {@code after} is at or past it cannot be violated through this
 * key, the common, fast negative answer) and how many events carry it (to pick the shortest
 * posting list to scan).
 *
 * @param last  the newest position with this type or tag
 * @param count how many events have this type or tag
 */
record Head(long last, long count) {

    static final Head NONE = new Head(0, 0);

    static Head decode(byte[] value) {
        if (value == null) return NONE;
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return new Head(buffer.getLong(), buffer.getLong());
    }

    byte[] encode() {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(last).putLong(count).array();
    }

    Head plus(long position) {
        return new Head(position, count + 1);
    }

    /** True when some event with this key has a position greater than {@code after}. */
    boolean hasAfter(long after) {
        return last > after;
    }
}
