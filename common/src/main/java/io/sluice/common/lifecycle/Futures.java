package io.sluice.common.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a start-up task run beside others. */
public final class Futures {

    private Futures() {
    }

    /**
     * The future's value; a task that failed with a RuntimeException throws it as it was, so a caller
     * sees the same exception as when the task ran on its own thread.
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }
}
