package io.sluice.fault;

import io.sluice.backfill.pipeline.check.BackfillCheck;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.fault.components.BackfillComponent;
import io.sluice.fault.components.BackfillComponent.Kind;
import io.sluice.fault.components.Recovery;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.stack.process.ChildJvm;
import io.sluice.stack.fault.FaultRow;
import io.sluice.stack.fault.Losses;
import io.sluice.testing.fault.FaultTable;
import io.sluice.stack.fault.PostgresProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill under a fault, each component (resolver with rate limiter, fetcher, records sink) in a
 * JVM of its own, on a broker in a process of its own and PostgreSQL behind a proxy the test controls:
 * DIDs over several simulated hosts at a binding per-host limit, a fault once a quarter of them are
 * done, and at the end every DID DONE, repo_records equal to the simulator's by count and checksum, no
 * request over a host's limit. One {@link FaultTable} row per fault.
 */
@Tag("fault")
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackfillFaultIT extends FaultScenarios {

    private static final Logger log = LoggerFactory.getLogger(BackfillFaultIT.class);
    private static final int DIDS = 300;
    private static final int HOSTS = 6;
    private static final int HOST_LIMIT = 5; // 50 DIDs a host at 5/s: the limit binds for 10 s
    private static final int PARTITIONS = 2;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Override
    void run(TestStack shared, String faultName, Fault fault) throws Exception {
        TestStack stack = new TestStack(broker.bootstrapServers(), shared.registryUrl(), shared.postgres());
        PdsSimulatorConfig simulatorConfig = PdsSimulatorConfig.builder().hosts(HOSTS).dids(DIDS).seed(12)
                .records(RecordCounts.uniform(5, 30)).rateLimit(3 * HOST_LIMIT, 1).build();
        List<ChildJvm> components = new ArrayList<>();
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig);
             PostgresProxy proxy = PostgresProxy.start(shared.postgres())) {
            BackfillRun run = new BackfillRun(stack, simulator, "bffault", RateLimitPolicy.parse(HOST_LIMIT + "/s"),
                    dir.resolve("state"), PARTITIONS);
            try {
                // The upstream ensures the topics, so it goes first.
                components.add(BackfillComponent.start(Kind.UPSTREAM, broker.bootstrapServers(), shared.registryUrl(),
                        proxy.endpoint(), run.config(), logs(faultName).resolve("upstream.log")));
                // The fetcher and the sink start side by side: JVM starts are most of a scenario's set-up.
                List<CompletableFuture<ChildJvm>> starting = new ArrayList<>();
                for (Kind kind : List.of(Kind.FETCHER, Kind.SINK)) {
                    Path logs = logs(faultName);
                    starting.add(CompletableFuture.supplyAsync(() -> start(kind, shared, proxy, run, logs)));
                }
                RuntimeException failed = null;
                for (CompletableFuture<ChildJvm> f : starting) {
                    try {
                        components.add(f.join());
                    } catch (CompletionException e) {
                        failed = failed == null ? e : failed;
                    }
                }
                if (failed != null) throw failed;
                Runnable healthy = () -> components.forEach(ChildJvm::superviseRestart);
                run.publish();
                long doneAtFault = run.awaitDone(DIDS / 4, false, WAIT, healthy, () -> "");
                assertThat(doneAtFault).as("the fault comes mid-run").isLessThan(DIDS);
                log.info("{}: {} of {} DIDs done", faultName, doneAtFault, DIDS);
                long injected = fault.inject(proxy);
                long faultEnd = System.nanoTime();
                Duration recovery = Recovery.await(run::done, run.done(), DIDS, faultEnd, healthy, WAIT);
                run.awaitDone(DIDS, true, WAIT, healthy, () -> "");

                Losses counts;
                try (Connection c = run.connect()) {
                    counts = BackfillCheck.losses(c, expectedRecords(simulator));
                }
                FaultTable.record(new FaultRow("backfill", faultName, DIDS, DIDS - doneAtFault, injected,
                        counts.lost(), counts.duplicated(), recovery, components.stream().mapToInt(ChildJvm::restarts).sum()));
                assertThat(counts.lost()).as("records lost").isZero();
                assertThat(counts.duplicated()).as("records duplicated").isZero();
                run.assertTables(DIDS);
            } finally {
                for (ChildJvm c : components) c.close();
            }
        }
    }

    private ChildJvm start(Kind kind, TestStack shared, PostgresProxy proxy, BackfillRun run, Path logs) {
        try {
            return BackfillComponent.start(kind, broker.bootstrapServers(), shared.registryUrl(), proxy.endpoint(), run.config(),
                    logs.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> expectedRecords(PdsSimulator simulator) {
        Map<String, Long> expected = new HashMap<>();
        for (String did : simulator.dids()) expected.put(did, simulator.expected(did).records());
        return expected;
    }
}
