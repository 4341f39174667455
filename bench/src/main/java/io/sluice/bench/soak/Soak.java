package io.sluice.bench.soak;

import io.sluice.bench.soak.FaultSchedule.Slot;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;
import io.sluice.stack.fault.KafkaBrokerProcess;
import io.sluice.stack.fault.PostgresProxy;
import io.sluice.stack.process.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code sluice bench soak}: the three workloads at a steady load on the embedded stack, the broker in a
 * process of its own over a kept log directory, the components in JVMs of their own behind a PostgreSQL
 * proxy, while a {@link FaultSchedule} repeats a broker restart, a PostgreSQL outage and a component's
 * SIGKILL; then the load stops, PostgreSQL drains, and each workload's equality checks give the
 * {@link SoakReport}. A component that exits by itself is restarted, as its supervisor would.
 */
public final class Soak {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    /** A broker start, the first or after a fault: generous, as a loaded machine makes log recovery slow. */
    private static final Duration BROKER_START = Duration.ofMinutes(5);

    private final SoakSettings settings;
    private final Consumer<String> progress;
    private final SoakReport report;
    private List<SoakWorkload> workloads = List.of();
    private long loadStart;
    private long nextProgress;
    private int killed;

    private Soak(SoakSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.report = new SoakReport(settings.length());
    }

    /**
     * Runs a soak: PostgreSQL and the registry from {@code given} (or embedded), the broker always its own,
     * as the soak restarts it. The components' logs are kept in {@code dir}/logs.
     */
    public static SoakReport run(SoakSettings settings, StackConfig given, Path dir, Consumer<String> progress) throws Exception {
        Soak soak = new Soak(settings, progress);
        soak.run(given, dir);
        return soak.report;
    }

    private void run(StackConfig given, Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        progress.accept("soak: broker process over " + dir.resolve("kafka") + "; logs in " + logs);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir, logs.resolve("broker.log"), BROKER_START);
             EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Optional.of(broker.bootstrapServers()), given.registryUrl(),
                     given.pgUrl(), progress));
             PostgresProxy proxy = PostgresProxy.start(stack.endpoints().postgres())) {
            StackEndpoints endpoints = stack.endpoints();
            SoakEnvironment env = new SoakEnvironment(broker.bootstrapServers(), endpoints.registryUrl(), endpoints.postgres(),
                    proxy.endpoint(), UUID.randomUUID().toString().substring(0, 8), dir, logs);
            workloads = List.of(new BackfillSoak(env, settings.length(), settings.seed()), new EtlSoak(env, settings.seed()),
                    new DcbSoak(env));
            try {
                startComponents();
                for (SoakWorkload w : workloads) w.startLoad();
                loadStart = System.nanoTime();
                nextProgress = loadStart + PROGRESS_EVERY.toNanos();
                progress.accept("soak: load running for " + SoakReport.clock(settings.length()) + "; faults at "
                        + settings.schedule().slots().stream().map(s -> SoakReport.clock(s.at()) + " " + s.kind().label()).toList());
                FaultSchedule schedule = settings.schedule();
                int next = 0;
                while (elapsed().compareTo(settings.length()) < 0) {
                    poll();
                    Slot due = schedule.due(next, elapsed());
                    if (due != null) {
                        inject(due, broker, proxy);
                        next++;
                    }
                    Thread.sleep(250);
                }
                progress.accept("soak: load stopped; draining");
                for (SoakWorkload w : workloads) w.stopLoad();
                for (SoakWorkload w : workloads) {
                    if (!w.awaitDrained(SoakSettings.DRAIN, this::poll)) {
                        progress.accept("soak: " + w.name() + " not drained within " + SoakSettings.DRAIN + "; checking what is there");
                    }
                }
                for (SoakWorkload w : workloads) {
                    SoakWorkload.Outcome o = w.check();
                    long restarts = w.components().stream().mapToLong(ChildJvm::restarts).sum();
                    report.add(new SoakReport.Outcome(w.name(), o.items(), o.losses(), o.problems(), restarts));
                }
            } finally {
                for (SoakWorkload w : workloads) {
                    try {
                        w.close();
                    } catch (Exception e) {
                        progress.accept("soak: closing " + w.name() + ": " + e);
                    }
                }
            }
        }
    }

    /** The workloads' components side by side: JVM starts are most of the set-up. */
    private void startComponents() {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (SoakWorkload w : workloads) {
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    w.startComponents();
                    progress.accept("soak: " + w.name() + " components running");
                } catch (Exception e) {
                    throw new IllegalStateException(w.name() + " components did not start", e);
                }
            }));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
    }

    /** Between steps: components that exited restarted, a failed load surfaced, the progress line when due. */
    private void poll() {
        for (SoakWorkload w : workloads) {
            w.components().forEach(ChildJvm::superviseRestart);
            w.assertLoadHealthy();
        }
        if (System.nanoTime() >= nextProgress) {
            nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            StringBuilder line = new StringBuilder("soak " + SoakReport.clock(elapsed()) + " / " + SoakReport.clock(settings.length()));
            long restarts = 0;
            for (SoakWorkload w : workloads) {
                long inFlight = w.inFlight();
                line.append(String.format(Locale.ROOT, " | %s %,d %s sent, %s in flight", w.name(), w.sent(), w.unit(),
                        inFlight < 0 ? "?" : String.format(Locale.ROOT, "%,d", inFlight)));
                restarts += w.components().stream().mapToLong(ChildJvm::restarts).sum();
            }
            line.append(" | ").append(report.events().size()).append(" faults, ").append(restarts).append(" restarts");
            progress.accept(line.toString());
        }
    }

    private void inject(Slot slot, KafkaBrokerProcess broker, PostgresProxy proxy) throws Exception {
        Duration at = elapsed();
        Map<String, Long> inFlight = new LinkedHashMap<>();
        for (SoakWorkload w : workloads) inFlight.put(w.name(), w.inFlight());
        List<String> hit = workloads.stream().map(SoakWorkload::name).toList();
        String detail = "";
        long injected = 1;
        progress.accept("soak: injecting " + slot.kind().label());
        switch (slot.kind()) {
            case BROKER_RESTART -> {
                broker.stop();
                broker.restart();
            }
            case POSTGRES_OUTAGE -> {
                PostgresProxy.Outage outage = proxy.outage(settings.outage());
                detail = settings.outage().toSeconds() + " s, " + outage.cut() + " connections cut, " + outage.refused() + " refused";
                injected = outage.cut() + outage.refused();
            }
            case COMPONENT_KILL -> {
                List<Map.Entry<SoakWorkload, ChildJvm>> all = new ArrayList<>();
                for (SoakWorkload w : workloads) for (ChildJvm c : w.components()) all.add(Map.entry(w, c));
                Map.Entry<SoakWorkload, ChildJvm> target = all.get(killed++ % all.size()); // each in turn
                detail = target.getKey().name() + " " + target.getValue().name();
                hit = List.of(target.getKey().name());
                target.getValue().killAndRestart();
            }
        }
        long faultEnd = System.nanoTime();
        Map<String, Duration> recovery = awaitRecovery(slot.index(), faultEnd);
        SoakReport.Event event = new SoakReport.Event(slot.index(), slot.kind(), at, detail, inFlight, hit, injected, recovery);
        report.add(event);
        progress.accept(event.line());
    }

    /**
     * Per workload, the time from the fault's end until its count in PostgreSQL passed its value then. A
     * workload that does not move within {@link #RECOVERY_TIMEOUT} is a finding, not the end of the soak:
     * it is recorded, the load goes on and the checks at the end say what it cost.
     */
    private Map<String, Duration> awaitRecovery(int index, long faultEnd) throws Exception {
        Map<String, Long> atEnd = new LinkedHashMap<>();
        for (SoakWorkload w : workloads) atEnd.put(w.name(), w.progress());
        Map<String, Duration> recovery = new LinkedHashMap<>();
        long deadline = faultEnd + RECOVERY_TIMEOUT.toNanos();
        while (recovery.size() < workloads.size()) {
            for (SoakWorkload w : workloads) {
                if (!recovery.containsKey(w.name()) && w.progress() > atEnd.get(w.name())) {
                    recovery.put(w.name(), Duration.ofNanos(System.nanoTime() - faultEnd));
                }
            }
            if (System.nanoTime() > deadline) {
                for (SoakWorkload w : workloads) {
                    if (recovery.putIfAbsent(w.name(), RECOVERY_TIMEOUT) == null) {
                        report.problem(w.name() + ": no progress in PostgreSQL within " + RECOVERY_TIMEOUT.toMinutes()
                                + " min after fault " + (index + 1));
                    }
                }
                break;
            }
            poll();
            Thread.sleep(100);
        }
        Map<String, Duration> ordered = new LinkedHashMap<>();
        for (SoakWorkload w : workloads) ordered.put(w.name(), recovery.get(w.name()));
        return ordered;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - loadStart);
    }
}
