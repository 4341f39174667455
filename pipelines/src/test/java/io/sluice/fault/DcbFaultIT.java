package io.sluice.fault;

import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.service.check.ConditionalWriters;
import io.sluice.dcb.service.check.ConsistencyFixture;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.fault.components.DcbComponent;
import io.sluice.fault.components.Recovery;
import io.sluice.stack.FreePorts;
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

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB store ({@code dcb-api}: decider, events sink and HTTP API) in a JVM of its own under a fault,
 * on a broker in a process of its own and PostgreSQL behind a proxy the test controls, while several
 * clients append under conditions ({@link ConditionalWriters}), each recording what it was told. Afterwards every acknowledged append is in PostgreSQL once, the
 * positions are 1..N, and every append's recorded condition held. One {@link FaultTable} row per fault.
 */
@Tag("fault")
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcbFaultIT extends FaultScenarios {

    private static final Logger log = LoggerFactory.getLogger(DcbFaultIT.class);
    private static final int WRITERS = 8;
    private static final int BEFORE = 80;  // acknowledged appends before the fault
    private static final int AFTER = 80;   // and after it
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Override
    void run(TestStack stack, String faultName, Fault fault) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        int port = FreePorts.next();
        DcbServiceConfig config = DcbComponent.config(broker.bootstrapServers(), stack.registryUrl(), stack.postgres(), port,
                suffix, dir.resolve("state"));
        try (PostgresProxy proxy = PostgresProxy.start(stack.postgres());
             ChildJvm service = DcbComponent.start(broker.bootstrapServers(), stack.registryUrl(), proxy.endpoint(), port,
                     suffix, dir.resolve("state"), logs(faultName).resolve("dcb-api.log"));
             DcbClient client = new DcbClient(URI.create("http://127.0.0.1:" + port + "/"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String schema = config.api().schema();
            ConditionalWriters writers = new ConditionalWriters(client);
            Runnable healthy = service::superviseRestart;
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(threads.submit(() -> writers.write(writer)));
            }
            await(() -> writers.acknowledged().size() >= BEFORE, healthy, done, "appends before the fault");
            long sentAtFault = writers.sent();
            // sent and not refused by its condition, not yet in PostgreSQL
            long pending = Math.max(0, sentAtFault - writers.failedConditions() - appends(stack, schema));
            log.info("{}: {} appends acknowledged, {} sent", faultName, writers.acknowledged().size(), writers.sent());
            long injected = fault.inject(proxy);
            long faultEnd = System.nanoTime();
            Duration recovery;
            try {
                recovery = Recovery.await(() -> events(stack, schema), events(stack, schema), Long.MAX_VALUE, faultEnd,
                        healthy, WAIT);
            } catch (IllegalStateException e) {
                service.dumpThreads(); // where the decider or the sink is stuck, in dcb-api.log
                throw e;
            }
            int atFault = writers.acknowledged().size();
            await(() -> writers.acknowledged().size() >= atFault + AFTER, healthy, done, "appends after the fault");
            writers.stop();
            for (Future<?> f : done) f.get();
            log.info("{}: {} appends acknowledged, {} failed conditions, {} retried", faultName, writers.acknowledged().size(),
                    writers.failedConditions(), writers.retried());

            // Acknowledged means decided and in dcb.events; PostgreSQL follows within the sink's flush.
            await(() -> writers.allIn(client.readAll()), healthy, List.of(), "acknowledged appends in PostgreSQL");
            List<ReadEvent> all = client.readAll();
            Losses losses = writers.losses(all);
            FaultTable.record(new FaultRow("dcb", faultName, sentAtFault, pending, injected, losses.lost(), losses.duplicated(),
                    recovery, service.restarts()));
            assertThat(losses.lost()).as("acknowledged appends missing").isZero();
            assertThat(losses.duplicated()).as("appends applied more than once").isZero();
            assertThat(ConsistencyFixture.check(client, all)).as("positions 1..N and every condition held").isEmpty();
        }
    }

    private static long events(TestStack stack, String schema) throws Exception {
        return count(stack, "SELECT count(*) FROM " + schema + ".events");
    }

    /** Appends in PostgreSQL: their first events. */
    private static long appends(TestStack stack, String schema) throws Exception {
        return count(stack, "SELECT count(*) FROM " + schema + ".events WHERE (data::jsonb ->> 'batchIndex')::int = 0");
    }

    private static long count(TestStack stack, String sql) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, Runnable healthy, List<Future<?>> writers, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            healthy.run();
            for (Future<?> w : writers) if (w.isDone()) w.get(); // a writer's failure, now
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + WAIT);
            Thread.sleep(200);
        }
    }
}
