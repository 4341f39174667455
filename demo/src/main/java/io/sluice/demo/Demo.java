package io.sluice.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the demo's workloads, all at once or one after another, reporting each one's progress
 * (counted in PostgreSQL) every {@code every} until all have ended. A workload that fails does not
 * stop the others: it ends in the results as a failed check, so the summary still shows the rest.
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    /** Where a workload is. */
    public enum State { WAITING, RUNNING, DONE, FAILED }

    /** One workload's progress at one moment. */
    public record Progress(String workload, String unit, long done, long total, double seconds, State state) {

        /** Done as a share of the total, 0..1. */
        public double fraction() {
            return total == 0 ? 1 : Math.min(1.0, (double) done / total);
        }
    }

    private Demo() {
    }

    /** The three workloads of a run. */
    public static List<Workload> workloads(DemoContext run) {
        return List.of(new BackfillWorkload(run), new EtlWorkload(run), new DcbWorkload(run));
    }

    /** Runs {@code workloads} to their end; {@code progress} gets every workload's progress every {@code every}. */
    public static List<WorkloadResult> run(List<Workload> workloads, boolean sequential, Duration every,
                                           Consumer<List<Progress>> progress) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(workloads.size());
        List<Tracked> tracked = workloads.stream().map(w -> new Tracked(w, ended)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(sequential ? 1 : workloads.size(),
                Thread.ofPlatform().name("demo-workload-", 1).daemon().factory());
        try {
            tracked.forEach(t -> pool.execute(t::run));
            while (!ended.await(every.toMillis(), TimeUnit.MILLISECONDS)) progress.accept(snapshot(tracked));
            progress.accept(snapshot(tracked));
            return tracked.stream().map(t -> t.result).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Progress> snapshot(List<Tracked> tracked) {
        return tracked.stream().map(Tracked::progress).toList();
    }

    /** A workload with its state, its clock and, once ended, its result. */
    private static final class Tracked {

        private final Workload workload;
        private final CountDownLatch ended;
        private volatile State state = State.WAITING;
        private volatile long started;
        private volatile double seconds;
        private volatile long lastDone;
        private volatile WorkloadResult result;

        Tracked(Workload workload, CountDownLatch ended) {
            this.workload = workload;
            this.ended = ended;
        }

        void run() {
            started = System.nanoTime();
            state = State.RUNNING;
            try {
                result = workload.run();
                seconds = result.seconds();
                state = State.DONE;
            } catch (Exception e) {
                seconds = (System.nanoTime() - started) / 1e9;
                log.error("the {} workload failed", workload.name(), e);
                result = new WorkloadResult(workload.name(), workload.total(), doneOr(lastDone), seconds, -1, -1,
                        List.of(new WorkloadResult.Check("finished", "yes", "no: " + message(e))));
                state = State.FAILED;
            } finally {
                ended.countDown();
            }
        }

        Progress progress() {
            State s = state;
            double secs = switch (s) {
                case WAITING -> 0;
                case RUNNING -> (System.nanoTime() - started) / 1e9;
                case DONE, FAILED -> seconds;
            };
            long done = s == State.WAITING ? 0 : doneOr(lastDone);
            lastDone = done;
            return new Progress(workload.name(), workload.unit(), done, workload.total(), secs, s);
        }

        private long doneOr(long fallback) {
            try {
                return workload.done();
            } catch (SQLException e) {
                log.debug("counting the {} workload's progress failed: {}", workload.name(), e.toString());
                return fallback;
            }
        }

        private static String message(Throwable e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
    }
}
