package io.sluice.backfill.pipeline;

import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.pipeline.testing.StageProcess;
import io.sluice.backfill.pipeline.testing.StageProcess.Stage;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.testing.GroupTakeover;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeover in seconds for the backfill's consumer-group stages (issue 17 item 5): a backfill runs
 * with two instances of one stage (each in a JVM of its own, one consumer group) and one of the
 * other; one of the pair is SIGKILLed mid-run. The figure asserted is {@link GroupTakeover}'s: the
 * time from the kill until the coordinator has dropped the killed member and every partition that had
 * records waiting is assigned to the survivor, which fetches it on its next poll. Target: 10 s. The
 * time until each of those partitions' committed offsets moves again is printed beside it: it adds the
 * first piece of work (for the fetcher a rate-limited download, then its commit interval), seen 6-12 s.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackfillTakeoverIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillTakeoverIT.class);
    private static final Duration TARGET = Duration.ofSeconds(10);
    private static final int DIDS = 2_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration PROCESS_START = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @TempDir
    Path logs;

    @Test
    void theSurvivingSinkMovesTheKilledOnesPartitionsWithinTenSeconds(TestStack stack) throws Exception {
        takeover(stack, Stage.SINK, "records sink", 23);
    }

    @Test
    void theSurvivingFetcherMovesTheKilledOnesPartitionsWithinTenSeconds(TestStack stack) throws Exception {
        takeover(stack, Stage.FETCHER, "fetcher", 24);
    }

    private void takeover(TestStack stack, Stage paired, String name, long seed) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(BackfillPipelineIT.simulatorConfig(HOSTS, DIDS, seed))) {
            BackfillRun run = new BackfillRun(stack, simulator, "bftakeover",
                    RateLimitPolicy.parse(BackfillPipelineIT.HOST_LIMIT + "/s"), stateDir, PARTITIONS);
            String group = paired == Stage.SINK ? run.config().id(RecordsSink.DEFAULT_GROUP_ID)
                    : run.config().id(FetcherConfig.DEFAULT_GROUP_ID);
            String input = paired == Stage.SINK ? run.config().records() : run.config().fetch();
            Stage other = paired == Stage.SINK ? Stage.FETCHER : Stage.SINK;
            List<StageProcess> processes = new ArrayList<>();
            try (BackfillPipeline pipeline = BackfillPipeline.startUpstream(stack.connection(), stack.postgres(), run.config());
                 Admin admin = Admin.create(stack.connection().admin())) {
                processes.add(start(other, stack, run, other + ".log"));
                StageProcess victim = start(paired, stack, run, paired + "-1.log");
                processes.add(victim);
                processes.add(start(paired, stack, run, paired + "-2.log"));
                Runnable healthy = () -> {
                    pipeline.assertHealthy();
                    for (StageProcess p : processes) p.assertAlive();
                };
                run.publish();
                run.awaitDone(DIDS / 4, false, WAIT, healthy, pipeline::progress);

                GroupTakeover.Result result = new GroupTakeover(admin, group).killAndMeasure(name, input, PARTITIONS, () -> {
                    victim.kill();
                    processes.remove(victim);
                }, TARGET, healthy, WAIT);
                log.info("{} taken over; {} DIDs done by then", name, run.done());
                assertThat(result.takenOver()).as("time until the killed %s's partitions are the survivor's", name)
                        .isLessThanOrEqualTo(TARGET);
            } finally {
                for (StageProcess p : processes) p.close();
            }
        }
    }

    private StageProcess start(Stage stage, TestStack stack, BackfillRun run, String logName) throws Exception {
        return StageProcess.start(stage, stack.bootstrapServers(), stack.registryUrl(), stack.postgres(), run.config(),
                logs.resolve(logName), PROCESS_START);
    }
}
