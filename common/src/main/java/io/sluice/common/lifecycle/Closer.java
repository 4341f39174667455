package io.sluice.common.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what was started in reverse order: the last part started is the first closed, so nothing is
 * closed while a part started after it still uses it. Every part is closed even when one fails; the
 * first failure is thrown with the others added as suppressed. Closing twice closes nothing twice.
 *
 * <p>Start-up code pushes each part as it comes up and, if a later part fails to start, closes what
 * did start before rethrowing; the running component keeps the same closer for its own close.
 */
public final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String what;

    /** @param what what is being closed, for the failure's message ("stopping the stack") */
    public Closer(String what) {
        this.what = what;
    }

    /** Remembers {@code part} to be closed before everything pushed earlier; returns it. */
    public synchronized <T extends AutoCloseable> T push(T part) {
        started.push(part);
        return part;
    }

    /**
     * Closes every part pushed, the newest first.
     *
     * @throws CloseException when a part failed to close, after every other part was closed
     */
    @Override
    public void close() {
        CloseException failure = null;
        while (true) {
            AutoCloseable part;
            synchronized (this) {
                part = started.poll();
            }
            if (part == null) break;
            try {
                part.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                if (failure == null) failure = new CloseException(what + " failed: " + e.getMessage(), e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * Closes every part after start-up failed with {@code failure}: a failure to close is added to it as
     * suppressed, so the reason start-up failed is the one the caller sees.
     */
    public void closeAfter(Exception failure) {
        try {
            close();
        } catch (CloseException e) {
            failure.addSuppressed(e);
        }
    }

    /** A part failed to close; the others were closed. */
    public static final class CloseException extends RuntimeException {
        CloseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
