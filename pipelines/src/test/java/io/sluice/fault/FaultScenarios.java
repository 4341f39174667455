package io.sluice.fault;

import io.sluice.testing.TestStack;
import io.sluice.stack.fault.KafkaBrokerProcess;
import io.sluice.stack.fault.PostgresProxy;
import io.sluice.testing.fault.SharedKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults every workload's fault test injects, each while its components run under load in JVMs of
 * their own: the broker (in a process of its own over a kept log directory) stopped and started again,
 * and PostgreSQL cut off for 10 s by the proxy the components connect through. A workload's test says
 * how it runs ({@link #run}); what it checks after the fault is its own.
 */
abstract class FaultScenarios {

    private static final Logger log = LoggerFactory.getLogger(FaultScenarios.class);
    static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static KafkaBrokerProcess broker;

    @BeforeAll
    static void broker() throws Exception {
        broker = SharedKafkaBroker.get();
    }

    interface Fault {
        /** Injects the fault and returns once it is over; the number of faults injected. */
        long inject(PostgresProxy proxy) throws Exception;
    }

    /** Runs the workload with its components, injects {@code fault} mid-run, checks the outcome, adds a table row. */
    abstract void run(TestStack stack, String faultName, Fault fault) throws Exception;

    @Test
    void brokerRestart(TestStack stack) throws Exception {
        run(stack, "broker restart (SIGTERM)", proxy -> {
            broker.stop();
            broker.restart();
            return 1;
        });
    }

    @Test
    void postgresOutage(TestStack stack) throws Exception {
        run(stack, "PostgreSQL outage 10 s", proxy -> {
            PostgresProxy.Outage outage = proxy.outage(OUTAGE);
            log.info("PostgreSQL outage: {}", outage);
            assertThat(outage.cut()).as("connections of the components cut").isPositive();
            return outage.cut() + outage.refused();
        });
    }

    /** Where the components' output goes: under the module's target/, kept after the run for a failure's post-mortem. */
    Path logs(String faultName) throws IOException {
        return Files.createDirectories(Path.of("target", "fault-logs", getClass().getSimpleName(),
                faultName.replaceAll("[^A-Za-z0-9]+", "-")));
    }
}
