package io.sluice.backfill.simulator;

import java.util.Locale;

/** The faults a virtual host injects (see {@link Faults}); {@link #jsonName} is the stats key. */
public enum FaultKind {
    /** A single 429 although the rate limit had budget left. */
    RATE_LIMIT,
    /** A 429 because the host is in a 429 storm. */
    STORM,
    /** A 500, 502 or 503. */
    SERVER_ERROR,
    /** A {@code getRepo} body cut short: the connection closes before Content-Length bytes. */
    TRUNCATED,
    /** A {@code getRepo} body written at {@link Faults#slowBytesPerSecond()}. */
    SLOW;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
