package io.sluice.backfill.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines (ended by {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader} does)
 * of at most {@code maxBytes} bytes of UTF-8 each. A longer line is not buffered: it is read and
 * discarded up to its end and reported as {@link Line#tooLong()}, so memory stays
 * {@code maxBytes + buffer} whatever the input (a 300 MB line is no OutOfMemoryError).
 * Malformed UTF-8 becomes U+FFFD, which no DID contains.
 */
final class BoundedLineReader {

    /** One line: its text, or, when it was longer than the limit, its first bytes and {@code tooLong}. */
    record Line(String text, boolean tooLong) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer;
    private int position;
    private int limit;
    private byte[] line;
    private boolean skipLineFeed;

    BoundedLineReader(InputStream in, int maxBytes, int bufferSize) {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        this.in = in;
        this.maxBytes = maxBytes;
        this.buffer = new byte[bufferSize];
        this.line = new byte[Math.min(maxBytes, 1024)];
    }

    /** The next line, or null at the end of the input. */
    Line readLine() throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                return any ? line(length, tooLong) : null;
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') continue;
            }
            any = true;
            if (b == '\n') return line(length, tooLong);
            if (b == '\r') {
                skipLineFeed = true;
                return line(length, tooLong);
            }
            if (length < maxBytes) {
                if (length == line.length) line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
                line[length++] = b;
            } else {
                tooLong = true; // the rest of the line is read and dropped
            }
        }
    }

    /** Bytes of the longest line buffer so far; never more than {@code maxBytes}. */
    int lineBufferSize() {
        return line.length;
    }

    private Line line(int length, boolean tooLong) {
        return new Line(new String(line, 0, length, StandardCharsets.UTF_8), tooLong);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        while (n == 0) n = in.read(buffer, 0, buffer.length);
        if (n < 0) return false;
        position = 0;
        limit = n;
        return true;
    }
}
