package io.sluice.cli.secure;

import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.secure.SecuredKafka;
import io.sluice.testing.secure.WithSecuredKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill end to end against a cluster that wants SASL_SSL/SCRAM-SHA-512 and a registry that wants
 * Basic auth: {@code sluice publish-dids --command-config} → resolver → rate limiter → fetcher → records
 * sink (the pipeline the commands start, given the settings loaded from the same file) against the PDS
 * simulator; every DID ends DONE with exactly the simulator's records in PostgreSQL.
 */
@WithSluiceStack
@WithSecuredKafka
class SecuredBackfillIT {

    private static final int DIDS = 200;
    private static final int HOSTS = 5;
    private static final int HOST_LIMIT = 20;

    @TempDir
    Path dir;

    @Test
    void everyDidEndsDoneThroughTheSecuredListener(TestStack stack, SecuredKafka kafka) throws Exception {
        long start = System.nanoTime();
        PdsSimulatorConfig simulatorConfig = PdsSimulatorConfig.builder().hosts(HOSTS).dids(DIDS).seed(10)
                .records(RecordCounts.uniform(5, 20)).rateLimit(3 * HOST_LIMIT, 1).build();
        try (SecuredClient client = SecuredClient.create(kafka, stack, dir);
             PdsSimulator simulator = PdsSimulator.start(simulatorConfig)) {
            BackfillRun run = new BackfillRun(stack, simulator, "secured-bf", RateLimitPolicy.parse(HOST_LIMIT + "/s"),
                    dir.resolve("state"), 2);
            try (BackfillPipeline pipeline = BackfillPipeline.start(client.settings(), stack.postgres(), run.config())) {
                Path dids = Files.writeString(dir.resolve("dids.txt"), String.join("\n", simulator.dids()) + "\n");
                List<String> args = new ArrayList<>(List.of("publish-dids", dids.toString(), "--topic", run.config().dids()));
                args.addAll(client.args());
                assertThat(CliRun.of(args.toArray(String[]::new)).ok()).contains("published " + DIDS + " DIDs");

                run.awaitDone(DIDS, true, Duration.ofMinutes(2), pipeline::assertHealthy, pipeline::progress);
            }
            run.assertTables(DIDS);
            client.assertSecuredPathUsed();
        } finally {
            System.out.printf("SecuredBackfillIT: %d DIDs through SASL_SSL in %.1f s%n", DIDS, (System.nanoTime() - start) / 1e9);
        }
    }
}
