package io.sluice.common.lifecycle;

import java.util.concurrent.CompletableFuture;

/**
 * Runs a stage's loop on a daemon thread of its own and reports how it ended. Unlike
 * {@code CompletableFuture.runAsync}, which captures everything, an {@link Error} (OutOfMemoryError, ...)
 * is not kept in the future: it goes on to the thread's uncaught-exception handler (the sluice command
 * halts the process on it), and the future fails too, so that a caller without such a handler (a
 * test) still sees the stage end.
 */
public final class LoopThread {

    private LoopThread() {
    }

    /** Starts {@code loop} on a new daemon platform thread called {@code name}. */
    public static CompletableFuture<Void> start(String name, Runnable loop) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                loop.run();
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            } finally {
                if (!ended.isDone()) {
                    ended.completeExceptionally(new IllegalStateException(name + " died of an Error; see its stack trace"));
                }
            }
        });
        return ended;
    }
}
