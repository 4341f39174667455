package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.FetchTask;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The consumer loop of one fetcher instance. Consumes FetchTasks from the fetch topic as a member of
 * the fetcher group; hands each to a {@link TaskRunner} on a thread of its own; commits offsets.
 *
 * <p>Guarantees: at-least-once. A task's offset is committed only once every output of it (and of
 * every earlier task of its partition) is acknowledged by the broker ({@link OffsetTracker},
 * {@link TaskAcks}); a crash re-fetches at most the unfinished tasks, and the records sink upserts,
 * so duplicates are harmless. A task that cannot be processed is dead-lettered by the runner; a
 * record that is not a FetchTask is dead-lettered here; neither stops the loop. A failed send (the
 * broker unreachable past the producer's delivery timeout) does: the loop throws before committing,
 * and a restarted instance fetches those tasks again.
 *
 * <p>Flow control: when {@code maxPendingTasks} tasks are unfinished the loop pauses its partitions
 * (still polling, so the group membership stays alive) and resumes them as tasks finish.
 * The consumer is used by the loop's thread only; {@link #stop()} may be called from any thread.
 */
final class Fetcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private record Completion(TopicPartition tp, long offset, Exception failure) {
    }

    private final FetcherConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<FetchTask> tasks;
    private final TaskRunner runner;
    private final Outputs outputs;
    private final FetcherStats stats;
    private final OffsetTracker offsets = new OffsetTracker();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    // Platform threads, not virtual ones: a task must start within its few milliseconds of allowance
    // after released_at, and a virtual thread waking from its sleep waits for a carrier, which CPU-bound
    // downloads (CAR parsing, Avro) hold without yielding; the OS preempts those for a woken platform thread.
    // Pooled, since a task's thread lives from its arrival to its outcome (mostly asleep).
    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("sluice-fetch-", 0).daemon(true).uncaughtExceptionHandler(this::taskDied).factory());
    private volatile boolean running = true;
    /** An Error (OutOfMemoryError, StackOverflowError) that ended a download thread. */
    private volatile Throwable died;
    private boolean closing;

    Fetcher(FetcherConfig config, Consumer<byte[], byte[]> consumer, Deserializer<FetchTask> tasks, TaskRunner runner,
            Outputs outputs, FetcherStats stats) {
        this.config = config;
        this.consumer = consumer;
        this.tasks = tasks;
        this.runner = runner;
        this.outputs = outputs;
        this.stats = stats;
    }

    /** Asks the loop to finish: it stops taking tasks, waits for running ones (bounded), commits, returns. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(config.topics().fetch()), new Rebalance());
        long nextCommit = System.nanoTime() + config.commitInterval().toNanos();
        long nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
        try {
            while (running) {
                if (died != null) {
                    throw new IllegalStateException("a download thread died; stopping without committing its task", died);
                }
                drainCompletions();
                long now = System.nanoTime();
                if (now >= nextCommit) {
                    commitAsync();
                    nextCommit = now + config.commitInterval().toNanos();
                }
                if (now >= nextReport) {
                    log.info("fetcher: {} pending, {}", offsets.pending(), stats.snapshot());
                    nextReport = now + REPORT_EVERY.toNanos();
                }
                flowControl();
                try {
                    consumer.poll(POLL).forEach(this::dispatch);
                } catch (WakeupException e) {
                    if (running && died == null) throw e;
                }
            }
        } finally {
            shutdown();
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        offsets.started(tp, offset);
        TaskAcks acks = new TaskAcks(a -> completions.add(new Completion(tp, offset, a.failure())));
        FetchTask task;
        try {
            if (record.value() == null) throw new IllegalArgumentException("record has no value");
            task = tasks.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn("{}-{}@{} is not a FetchTask, dead-lettered: {}", record.topic(), record.partition(), offset, e.toString());
            outputs.deadLetter(acks, record, FailureReason.DESERIALIZATION, String.valueOf(e.getMessage()),
                    e.getClass().getName(), 0);
            stats.failed.increment();
            acks.seal();
            return;
        }
        // execute, not submit: an Error must reach the uncaught-exception handler, not vanish in a Future.
        threads.execute(() -> {
            try {
                runner.run(record, task, acks);
            } catch (InterruptedException e) {
                // closing: the task stays unfinished, so its offset is not committed
            }
        });
    }

    /**
     * A download thread ended with an Error. Its task can never finish, so its partition could
     * never commit again: the fetcher stops (and is restarted by whatever runs it) rather than
     * stall silently.
     */
    private void taskDied(Thread thread, Throwable error) {
        log.error("download thread {} died", thread.getName(), error);
        died = error;
        consumer.wakeup();
    }

    private void drainCompletions() {
        for (Completion c = completions.poll(); c != null; c = completions.poll()) apply(c);
    }

    private void apply(Completion c) {
        if (c.failure() != null) {
            if (closing) {
                log.error("output of the task at {}@{} was not written; not committing it", c.tp(), c.offset(), c.failure());
                return;
            }
            throw new IllegalStateException("output of the task at " + c.tp() + "@" + c.offset() + " was not written;"
                    + " stopping without committing it", c.failure());
        }
        offsets.finished(c.tp(), c.offset());
    }

    private void flowControl() {
        if (offsets.pending() >= config.maxPendingTasks()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> positions = offsets.committable();
        if (positions.isEmpty()) return;
        consumer.commitAsync(positions, (committed, e) -> {
            if (e == null) offsets.committed(committed);
            else log.warn("committing {} failed (the next commit covers it): {}", committed, e.toString());
        });
    }

    private void commitSync(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> positions = offsets.committable(tps);
        if (positions.isEmpty()) return;
        consumer.commitSync(positions);
        offsets.committed(positions);
    }

    /** Waits until no task of {@code tps} is pending, or the deadline; applies completions meanwhile. */
    private void awaitFinished(Collection<TopicPartition> tps, long deadlineNanos) {
        try {
            while (offsets.pending(tps) > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return;
                Completion c = completions.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (c != null) apply(c);
                drainCompletions();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown() {
        closing = true;
        try {
            awaitFinished(consumer.assignment(), System.nanoTime() + config.shutdownTimeout().toNanos());
            int abandoned = offsets.pending();
            if (abandoned > 0) log.warn("closing with {} tasks unfinished; they will be fetched again", abandoned);
            commitSync(consumer.assignment());
        } catch (KafkaException e) {
            log.warn("final commit failed; tasks after the last commit will be fetched again: {}", e.toString());
        } finally {
            threads.shutdownNow();
            try {
                if (!threads.awaitTermination(5, TimeUnit.SECONDS)) log.warn("some download threads did not stop");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Before partitions move to another instance, lets their running tasks finish and commits them. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!closing) {
                long wait = Math.min(config.shutdownTimeout().toNanos(), Duration.ofSeconds(20).toNanos());
                awaitFinished(partitions, System.nanoTime() + wait);
                commitSync(partitions);
            }
            offsets.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("fetcher assigned {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            offsets.forget(partitions);
        }
    }
}
