package io.sluice.sinks.core.testing;

import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkCounters;

import java.util.concurrent.CompletableFuture;

/** A sink running on a thread of its own; {@link #done()} completes when its loop ends, however it ends. */
public final class RunningSink implements AutoCloseable {

    private final ExactlyOnceSink<?, ?> sink;
    private final CompletableFuture<Void> done;

    private RunningSink(ExactlyOnceSink<?, ?> sink, String name) {
        this.sink = sink;
        this.done = CompletableFuture.runAsync(sink::run, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        });
    }

    public static RunningSink start(ExactlyOnceSink<?, ?> sink, String name) {
        return new RunningSink(sink, name);
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** Fails the test at once, with the loop's own exception, if the loop has ended. */
    public void assertRunning() {
        if (!done.isDone()) return;
        try {
            done.join();
            throw new AssertionError("the sink stopped");
        } catch (java.util.concurrent.CompletionException e) {
            throw new AssertionError("the sink failed", e.getCause());
        }
    }

    public SinkCounters counters() {
        return sink.counters();
    }

    @Override
    public void close() {
        sink.close();
    }
}
