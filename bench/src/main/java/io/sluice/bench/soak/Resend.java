package io.sluice.bench.soak;

import io.sluice.common.retry.Backoff;

import java.time.Duration;

/**
 * Sends again what a load generator could not get acknowledged while the broker was away (a restart
 * on a loaded machine can outlast a producer's 60 s metadata wait): the same batch, in order, so what
 * the pipeline receives twice it stores once (its writes are idempotent) and the expected state stays
 * what the generator recorded. Gives up after {@link #LIMIT}.
 */
final class Resend {

    static final Duration LIMIT = Duration.ofMinutes(5);
    private static final Backoff BACKOFF = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(15), 0.2);

    interface Send {
        void run() throws Exception;
    }

    private Resend() {
    }

    static void untilAcknowledged(String what, Send send) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                send.run();
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(what + ": not acknowledged within " + LIMIT, e);
                Thread.sleep(BACKOFF.delay(attempt).toMillis());
            }
        }
    }
}
