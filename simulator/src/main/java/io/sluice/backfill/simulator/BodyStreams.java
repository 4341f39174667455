package io.sluice.backfill.simulator;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Output stream wrappers for response bodies: counting what was sent, cutting a body short
 * (the truncation fault) and pacing it (the slow-body fault).
 */
final class BodyStreams {

    private BodyStreams() {
    }

    /** Thrown by {@link Cutoff} when the cut is reached: the handler then drops the connection. */
    static final class CutReached extends IOException {
        CutReached(long at) {
            super("body cut at byte " + at + " (injected truncation)");
        }
    }

    static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }

    /** Passes the first {@code limit} bytes, then throws {@link CutReached}. */
    static final class Cutoff extends FilterOutputStream {
        private final long limit;
        private long written;

        Cutoff(OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int pass = (int) Math.min(len, limit - written);
            out.write(b, off, pass);
            written += pass;
            if (pass < len) {
                throw new CutReached(written);
            }
        }
    }

    /** Writes at most {@code bytesPerSecond}, in slices of a twentieth of a second. */
    static final class Throttled extends FilterOutputStream {
        private final long bytesPerSecond;
        private final int slice;
        private final long start = System.nanoTime();
        private long written;

        Throttled(OutputStream out, int bytesPerSecond) {
            super(out);
            this.bytesPerSecond = bytesPerSecond;
            this.slice = Math.max(1, bytesPerSecond / 20);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, slice);
                pace(n);
                out.write(b, off, n);
                out.flush(); // the point is to put bytes on the wire slowly, not to buffer them
                written += n;
                off += n;
                len -= n;
            }
        }

        private void pace(int next) throws IOException {
            long due = start + (written + next) * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("slow body interrupted");
                }
            }
        }
    }
}
