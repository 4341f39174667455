package io.sluice.bench.soak;

import io.sluice.stack.fault.Losses;
import io.sluice.stack.process.ChildJvm;

import java.time.Duration;
import java.util.List;

/**
 * One workload of the soak: its components in JVMs of their own, a steady load from this JVM, and at the
 * end the fault suite's equality checks. The soak calls {@link #startComponents}, {@link #startLoad},
 * then polls {@link #sent}, {@link #inFlight} and {@link #progress} while it injects faults, and finally
 * {@link #stopLoad}, {@link #awaitDrained} and {@link #check}.
 */
interface SoakWorkload extends AutoCloseable {

    /** backfill, etl or dcb: the table's workload column. */
    String name();

    /** What one item is, for the progress line: "DIDs", "changes", "appends". */
    String unit();

    void startComponents() throws Exception;

    List<ChildJvm> components();

    /** Starts the load on threads of its own; it runs until {@link #stopLoad}. */
    void startLoad();

    /** Throws when the load failed (a client given up, a 4xx): the soak stops with it. */
    void assertLoadHealthy();

    /** Items sent into the pipeline so far. */
    long sent();

    /** Of those, the ones not yet in PostgreSQL (an estimate where the workload cannot tell exactly), or -1 when unknown. */
    long inFlight();

    /** A count in PostgreSQL that grows while the workload moves: recovery is when it passes its value at a fault's end. */
    long progress() throws Exception;

    void stopLoad() throws Exception;

    /** Waits until PostgreSQL holds everything sent, running {@code poll} (supervision, progress) meanwhile; false at the timeout. */
    boolean awaitDrained(Duration timeout, Runnable poll) throws Exception;

    /** The equality checks: lost and duplicated, and any other broken guarantee as a sentence. */
    Outcome check() throws Exception;

    record Outcome(long items, Losses losses, List<String> problems) {
    }
}
