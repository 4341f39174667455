package io.sluice.backfill.ratelimit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the limiter assumes a PDS lays out its fixed windows.
 * <ul>
 * <li>{@link #SLIDING}: nothing is assumed; at most {@code limit} releases in any window-plus-margin
 * (see {@link WindowLimiter}), safe whatever the PDS's window boundaries are, at {@code limit / (window
 * + margin)} and with task deadlines of at most 3/4 of the margin (22 ms at 20/s).</li>
 * <li>{@link #EPOCH}: the PDS counts fixed windows aligned to the Unix epoch on a clock in step with
 * ours (the PDS simulator does); at most {@code limit} tasks are scheduled into each such window (see
 * {@link EpochSlots}), the whole allowance, with deadlines of up to 3/4 of the window. Wrong for a PDS
 * whose windows start elsewhere: there it may exceed the limit.</li>
 * </ul>
 */
public enum WindowAlignment {
    SLIDING, EPOCH;

    /** Parses {@code sliding} or {@code epoch} (any case); anything else is an error listing both. */
    public static WindowAlignment parse(String text) {
        String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (WindowAlignment a : values()) {
            if (a.name().equals(s)) return a;
        }
        throw new IllegalArgumentException("invalid window alignment '" + text + "'; allowed: "
                + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
