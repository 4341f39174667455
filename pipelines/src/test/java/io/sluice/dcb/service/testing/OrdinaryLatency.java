package io.sluice.dcb.service.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * What a flood of requests the API refuses costs an ordinary client: the latencies of {@code n} of its
 * calls on a quiet API, then of {@code n} more while an attacker thread sends flat out. The attacker
 * runs in the test's JVM, so on a 2-core machine it takes CPU from everyone and the p99 moves by tens
 * of ms; what must not happen is a stall (one request holding the decider or a thread for seconds).
 * Hence {@link Figures#bound()}: 100 ms, or the quiet p99 plus 100 ms when the machine itself is
 * slower than that.
 */
public final class OrdinaryLatency {

    private OrdinaryLatency() {
    }

    /** Sorted nanoseconds of the quiet and the attacked calls, and how many attacking requests were sent. */
    public record Figures(List<Long> quiet, List<Long> attacked, int attacks) {

        public double bound() {
            return Math.max(100.0, ms(quiet, 99) + 100.0);
        }

        public double attackedP99() {
            return ms(attacked, 99);
        }

        public String describe(String what) {
            return String.format(Locale.ROOT, "ordinary append p50/p99/max: quiet %.1f/%.1f/%.1f ms, with %d %s"
                    + " %.1f/%.1f/%.1f ms", ms(quiet, 50), ms(quiet, 99), ms(quiet, 100), attacks, what,
                    ms(attacked, 50), ms(attacked, 99), ms(attacked, 100));
        }
    }

    /**
     * @param ordinary one ordinary call (given its index), which asserts its own outcome
     * @param round    one round of the attack, which asserts each answer; returns the requests it sent
     */
    public static Figures measure(int n, IntConsumer ordinary, IntSupplier round) throws Exception {
        for (int i = 0; i < 20; i++) ordinary.accept(i); // warm-up
        List<Long> quiet = timed(n, ordinary);
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> attacker = CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            while (!done.get()) sent += round.getAsInt();
            return sent;
        });
        List<Long> attacked;
        try {
            attacked = timed(n, ordinary);
        } finally {
            done.set(true);
        }
        return new Figures(quiet, attacked, attacker.get(60, TimeUnit.SECONDS));
    }

    private static List<Long> timed(int n, IntConsumer ordinary) {
        List<Long> nanos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long started = System.nanoTime();
            ordinary.accept(i);
            nanos.add(System.nanoTime() - started);
        }
        Collections.sort(nanos);
        return nanos;
    }

    /** The percentile of sorted nanoseconds, in ms (100: the maximum). */
    public static double ms(List<Long> sorted, int percentile) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
