package io.sluice.cli.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.sinks.etl.EtlSink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** An ETL sink running on a thread of its own, as {@code sluice etl-sink} runs it; close stops it. */
final class RunningEtlSink implements AutoCloseable {

    private final ExactlyOnceSink<Long, UserRows> sink;
    private final CompletableFuture<Void> done;

    private RunningEtlSink(ExactlyOnceSink<Long, UserRows> sink) {
        this.sink = sink;
        this.done = CompletableFuture.runAsync(sink::run, task -> Thread.ofPlatform().daemon().name("it-etl-sink").start(task));
    }

    static RunningEtlSink start(SinkConfig config, String registryUrl) {
        Topic<Long, UserRows> topic = Topics.fromConfig(new AvroSerdeConfig(registryUrl, false, true)).etlUserRows();
        return new RunningEtlSink(EtlSink.create(config, topic));
    }

    SinkCounters counters() {
        return sink.counters();
    }

    /** Fails at once, with the loop's own exception, if the loop has ended. */
    void assertRunning() {
        if (!done.isDone()) return;
        try {
            done.join();
            throw new AssertionError("the sink stopped");
        } catch (CompletionException e) {
            throw new AssertionError("the sink failed", e.getCause());
        }
    }

    @Override
    public void close() {
        sink.close();
    }
}
