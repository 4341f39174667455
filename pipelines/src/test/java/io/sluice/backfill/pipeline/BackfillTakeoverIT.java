package io.sluice.backfill.pipeline;

import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.pipeline.testing.StageProcess;
import io.sluice.backfill.pipeline.testing.StageProcess.Stage;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.testing.TakeoverReport;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeover in seconds for the backfill's consumer-group stages (issue 17 item 5): a backfill runs
 * with two instances of one stage (each in a JVM of its own, one consumer group) and one of the
 * other; one of the pair is SIGKILLed mid-run. The figure asserted is the time from the kill until
 * the coordinator has dropped the killed member and every partition that had records waiting is
 * assigned to the survivor, which fetches it on its next poll. Target: 10 s. The time until each of
 * those partitions' committed offsets moves again is printed beside it: it adds the first piece of
 * work (for the fetcher a rate-limited download, then its commit interval), seen 6-12 s.
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

                // Kill at a moment when more than half the input partitions have records waiting (so at
                // least one of them is the victim's): only a partition with records waiting must move.
                Map<TopicPartition, Long> committed;
                List<TopicPartition> waiting;
                long lookUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    committed = committed(admin, group);
                    Map<TopicPartition, Long> ends = ends(admin, committed.keySet());
                    Map<TopicPartition, Long> atKill = committed;
                    waiting = atKill.keySet().stream().filter(tp -> ends.get(tp) > atKill.get(tp))
                            .sorted(Comparator.comparing(TopicPartition::toString)).toList();
                    if (waiting.stream().filter(tp -> tp.topic().equals(input)).count() > PARTITIONS / 2) break;
                    assertThat(System.nanoTime()).as("more than half of %s's partitions with records waiting; now %s", input, waiting)
                            .isLessThan(lookUntil);
                    healthy.run();
                    Thread.sleep(20);
                }
                long killedAt = System.nanoTime();
                victim.kill();
                processes.remove(victim);
                log.info("{} killed with {} DIDs done; partitions with records waiting: {}", name, run.done(), waiting);
                long deadline = killedAt + WAIT.toNanos();
                // Taken over: the coordinator has dropped the killed member and every partition with records
                // waiting is assigned to the survivor, which fetches it on its next poll.
                while (!takenOver(admin, group, waiting)) {
                    assertThat(System.nanoTime()).as("%s's waiting partitions assigned to the survivor", name).isLessThan(deadline);
                    healthy.run();
                    Thread.sleep(50);
                }
                Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
                // Then the first commits: the survivor finished the first task of each (a download, a batch).
                while (true) {
                    Map<TopicPartition, Long> now = committed(admin, group);
                    Map<TopicPartition, Long> atKill = committed;
                    if (waiting.stream().allMatch(tp -> now.getOrDefault(tp, -1L) > atKill.get(tp))) break;
                    assertThat(System.nanoTime()).as("every waiting partition moved; now %s, at the kill %s", now, committed)
                            .isLessThan(deadline);
                    healthy.run();
                    Thread.sleep(100);
                }
                TakeoverReport.observed(name + ", offsets committed again", Duration.ofNanos(System.nanoTime() - killedAt));
                double seconds = TakeoverReport.report(name + ", partitions taken over", takeover, TARGET);
                assertThat(seconds).as("seconds until the killed %s's partitions are the survivor's", name)
                        .isLessThanOrEqualTo(TARGET.toSeconds());
            } finally {
                for (StageProcess p : processes) p.close();
            }
        }
    }

    /** One member left and the waiting partitions are among its assignment. */
    private static boolean takenOver(Admin admin, String group, List<TopicPartition> waiting) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(10, TimeUnit.SECONDS);
        if (description.members().size() != 1) return false;
        return description.members().iterator().next().assignment().topicPartitions().containsAll(waiting);
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) result.put(tp, o.offset());
        });
        return result;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, java.util.Set<TopicPartition> partitions) throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private StageProcess start(Stage stage, TestStack stack, BackfillRun run, String logName) throws Exception {
        return StageProcess.start(stage, stack.bootstrapServers(), stack.registryUrl(), stack.postgres(), run.config(),
                logs.resolve(logName), PROCESS_START);
    }
}
