package io.sluice.bench;

import io.sluice.stack.PostgresEndpoint;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU seconds each stage of a measured run used, whatever else the machine runs: wall times on a
 * shared 2-core machine say little about where the work is, CPU times do.
 *
 * <p>This JVM's threads are grouped by name ({@code stageOf}); what no live thread accounts for (GC,
 * the JIT, threads that ended during the run) is {@code jvm_other}. PostgreSQL's share is the CPU of
 * the server processes serving the given {@code application_name}s, read from {@code /proc} by a
 * sampler every {@value #SAMPLE_MS} ms (a backend that closes loses at most its last interval); on a
 * system without {@code /proc}, or a remote server, it is missing from the result.
 */
public final class StageCpu implements AutoCloseable {

    private static final long SAMPLE_MS = 200;
    /** USER_HZ: /proc/PID/stat counts clock ticks of 1/100 s on every Linux platform sluice runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Function<String, String> stageOf;
    private final Map<Long, Long> threadStart = new HashMap<>();
    private final long processStart;
    private final long gcPausesStart;
    private final Map<String, Long> jvmThreadsStart;
    private final PostgresEndpoint postgres;
    private final List<String> applicationNames;
    private final Map<Long, Long> backendStart = new HashMap<>();
    private final Map<Long, Long> backendLast = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile boolean backendsVisible;
    /** Used by one thread at a time: the constructor, then the sampler, then {@link #seconds()} after it stopped. */
    private Connection sampling;
    private PreparedStatement pids;

    /** Starts counting now. */
    public StageCpu(Function<String, String> stageOf, PostgresEndpoint postgres, List<String> applicationNames) {
        this.stageOf = stageOf;
        this.postgres = postgres;
        this.applicationNames = List.copyOf(applicationNames);
        // Only a server on this machine has its processes in our /proc.
        String host = java.net.URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getHost();
        this.backendsVisible = Files.isDirectory(Path.of("/proc/self"))
                && ("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host));
        for (long id : threads.getAllThreadIds()) threadStart.put(id, threads.getThreadCpuTime(id));
        this.processStart = processCpuNanos();
        this.gcPausesStart = gcPauseMillis();
        this.jvmThreadsStart = jvmThreadTicks();
        sampleBackends(true);
        this.sampler = Thread.ofPlatform().daemon().name("bench-cpu-sampler").start(() -> {
            while (running) {
                try {
                    Thread.sleep(SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
                sampleBackends(false);
            }
        });
    }

    /**
     * CPU seconds per stage since the start, then {@code jvm_other}, {@code jvm_total} and {@code postgres};
     * and {@code jvm_gc_pauses_wall}, the wall time the collector stopped the JVM.
     */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new TreeMap<>();
        long threadSum = 0;
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu < 0 || infos[i] == null) continue; // ended meanwhile
            long used = cpu - threadStart.getOrDefault(ids[i], 0L);
            threadSum += used;
            out.merge(stageOf.apply(infos[i].getThreadName()), used / 1e9, Double::sum);
        }
        long process = processCpuNanos() - processStart;
        out.put("jvm_other", Math.max(0, process - threadSum) / 1e9);
        out.put("jvm_total", process / 1e9);
        // What jvm_other holds, as far as the JVM's own (non-Java) threads tell: the collector and the JIT.
        Map<String, Long> jvmThreads = jvmThreadTicks();
        jvmThreads.forEach((kind, ticks) -> out.put(kind, (ticks - jvmThreadsStart.getOrDefault(kind, 0L)) / TICKS_PER_SECOND));
        // Wall time, not CPU: how long the collector stopped the pipeline (its CPU is in jvm_other).
        out.put("jvm_gc_pauses_wall", (gcPauseMillis() - gcPausesStart) / 1e3);
        stopSampler();
        sampleBackends(false);
        if (backendsVisible) {
            long ticks = 0;
            synchronized (backendLast) {
                for (Map.Entry<Long, Long> e : backendLast.entrySet()) ticks += e.getValue() - backendStart.getOrDefault(e.getKey(), 0L);
            }
            out.put("postgres", ticks / TICKS_PER_SECOND);
        }
        out.replaceAll((k, v) -> Math.round(v * 1000) / 1000.0);
        return out;
    }

    @Override
    public void close() {
        stopSampler();
        if (sampling != null) {
            try {
                sampling.close();
            } catch (SQLException e) {
                // The measurement is over; a connection that will not close changes nothing.
            }
        }
    }

    private void stopSampler() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sampleBackends(boolean atStart) {
        if (!backendsVisible) return;
        try {
            // One connection for the whole run: a new backend per sample would cost the server a fork each time.
            if (sampling == null) {
                sampling = postgres.connect();
                pids = sampling.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ANY (?)");
                pids.setArray(1, sampling.createArrayOf("text", applicationNames.toArray()));
            }
            try (ResultSet rs = pids.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(1);
                    long ticks = procTicks(pid);
                    if (ticks < 0) continue;
                    synchronized (backendLast) {
                        if (atStart) backendStart.put(pid, ticks);
                        backendLast.merge(pid, ticks, Math::max);
                    }
                }
            }
        } catch (SQLException | IOException e) {
            // A server on another machine, or a /proc we may not read: no PostgreSQL figure rather than a wrong one.
            backendsVisible = false;
        }
    }

    /**
     * CPU ticks of this JVM's collector ({@code jvm_gc_threads}) and compiler ({@code jvm_jit_threads})
     * threads, by their names in /proc/self/task; empty where there is no /proc. Threads that ended are missed.
     */
    private static Map<String, Long> jvmThreadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String kind = comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "jvm_gc_threads"
                            : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jvm_jit_threads" : null;
                    long t = kind == null ? -1 : procTicks(task);
                    if (t >= 0) ticks.merge(kind, t, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** utime + stime of a process in clock ticks, or -1 when it is gone. */
    private static long procTicks(long pid) throws IOException {
        return procTicks(Path.of("/proc", Long.toString(pid)));
    }

    /** utime + stime of the process or thread whose /proc directory is {@code dir}, or -1 when it is gone. */
    private static long procTicks(Path dir) throws IOException {
        Path stat = dir.resolve("stat");
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        }
        // The command name in parentheses may hold spaces: count fields after the last ')'.
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
    }

    private static long gcPauseMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // G1 reports its concurrent cycles as a collector of their own; they do not stop the world.
            if (!gc.getName().contains("Concurrent")) millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
