package io.sluice.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The takeover measurement of the takeover tests (issue 17 item 5), one definition for every consumer
 * group, plain or Kafka Streams: one of two members of {@code group} is SIGKILLed at a moment when more
 * than half the partitions of its input have records waiting (so at least one of them is the killed
 * member's: only a partition with records waiting must move; when no look finds that, every partition of
 * the input must end up the survivor's). The figure is the time from the kill
 * until the coordinator has dropped the killed member and every partition that had records waiting is
 * the survivor's, which fetches it on its next poll; it is reported as {@code <name>, partitions taken
 * over} against the target. The time until each of those partitions' committed offset moves again (the
 * survivor has processed its first records there) is reported beside it as {@code <name>, offsets
 * committed again}.
 */
public final class GroupTakeover {

    private static final Logger log = LoggerFactory.getLogger(GroupTakeover.class);
    private static final Duration LOOK_FOR_WAITING = Duration.ofSeconds(20);

    /**
     * The two figures, from the kill.
     *
     * @param takenOver    until the survivor alone holds the partitions that had records waiting
     * @param committed    until each of them has a committed offset past the one at the kill; zero when the
     *                     stage kept up and no record arrived after the kill (the run was over), so none could move
     * @param waiting      those partitions
     */
    public record Result(Duration takenOver, Duration committed, List<TopicPartition> waiting) {
    }

    /** Something to kill, the hard way. */
    @FunctionalInterface
    public interface Victim {
        void kill() throws InterruptedException;
    }

    private final Admin admin;
    private final String group;

    public GroupTakeover(Admin admin, String group) {
        this.admin = admin;
        this.group = group;
    }

    /**
     * Waits until the group has two members, each holding partitions of {@code input} (so either has some
     * to lose); {@code healthy} runs between looks.
     */
    public void awaitTwoMembersSharing(String input, Runnable healthy, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            healthy.run();
            ConsumerGroupDescription description;
            try {
                description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException notYet) {
                description = null; // a consumer group no member has joined yet is not found
            }
            if (description != null && description.members().size() == 2 && description.members().stream().allMatch(
                    m -> m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(input)))) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "two members of " + group + " sharing " + input + "; now " + description);
            Thread.sleep(200);
        }
    }

    /**
     * Kills {@code victim} once more than half of the {@code partitions} of {@code input} have records
     * waiting, measures, and reports both figures under {@code name}. {@code healthy} runs between looks
     * (it throws when a stage died); {@code wait} bounds each phase.
     */
    public Result killAndMeasure(String name, String input, int partitions, Victim victim, Duration target,
                                 Runnable healthy, Duration wait) throws Exception {
        Map<TopicPartition, Long> atKill;
        List<TopicPartition> waiting;
        List<TopicPartition> keptUp = List.of();
        long lookUntil = System.nanoTime() + LOOK_FOR_WAITING.toNanos();
        while (true) {
            atKill = committed();
            waiting = waiting(atKill);
            if (waiting.stream().filter(tp -> tp.topic().equals(input)).count() > partitions / 2) break;
            if (System.nanoTime() > lookUntil) {
                // A stage that keeps up leaves nothing waiting at any look: then every partition of the
                // input must end up the survivor's, and each must move again as new records arrive.
                waiting = atKill.keySet().stream().filter(tp -> tp.topic().equals(input))
                        .sorted(Comparator.comparing(TopicPartition::toString)).toList();
                assertTrue(waiting.size() == partitions, "committed offsets for all " + partitions + " partitions of " + input + "; now " + atKill);
                keptUp = waiting;
                log.info("{}: no look in {} found more than half of {}'s partitions with records waiting; killing anyway", name, LOOK_FOR_WAITING, input);
                break;
            }
            healthy.run();
            Thread.sleep(20);
        }
        Map<TopicPartition, Long> endsAtKill = ends(atKill.keySet());
        long killedAt = System.nanoTime();
        victim.kill();
        log.info("{} killed; partitions of {} with records waiting: {}", name, group, waiting);
        long deadline = killedAt + wait.toNanos();
        while (!takenOver(waiting)) {
            assertTrue(System.nanoTime() < deadline, name + "'s waiting partitions " + waiting + " assigned to the survivor");
            healthy.run();
            Thread.sleep(50);
        }
        Duration takenOver = Duration.ofNanos(System.nanoTime() - killedAt);
        TakeoverReport.report(name + ", partitions taken over", takenOver, target);
        while (true) {
            Map<TopicPartition, Long> now = committed();
            Map<TopicPartition, Long> before = atKill;
            if (waiting.stream().allMatch(tp -> now.getOrDefault(tp, -1L) > before.get(tp))) break;
            if (waiting.equals(keptUp) && ends(endsAtKill.keySet()).equals(endsAtKill)) {
                // The stage kept up and the run is over: nothing arrived since the kill, so nothing can move.
                log.info("{}: no record arrived after the kill, so no offset can move; only the takeover is measured", name);
                return new Result(takenOver, Duration.ZERO, waiting);
            }
            assertTrue(System.nanoTime() < deadline, "every waiting partition moved; now " + now + ", at the kill " + atKill);
            healthy.run();
            Thread.sleep(100);
        }
        Duration committed = Duration.ofNanos(System.nanoTime() - killedAt);
        TakeoverReport.observed(name + ", offsets committed again", committed);
        return new Result(takenOver, committed, waiting);
    }

    /** The partitions whose committed offset is below the end: records waiting. */
    private List<TopicPartition> waiting(Map<TopicPartition, Long> committed) throws Exception {
        Map<TopicPartition, Long> ends = ends(committed.keySet());
        return committed.keySet().stream().filter(tp -> ends.get(tp) > committed.get(tp))
                .sorted(Comparator.comparing(TopicPartition::toString)).toList();
    }

    /** One member left, and the partitions are among its assignment. */
    private boolean takenOver(List<TopicPartition> partitions) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(10, TimeUnit.SECONDS);
        if (description.members().size() != 1) return false;
        return description.members().iterator().next().assignment().topicPartitions().containsAll(partitions);
    }

    private Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) result.put(tp, o.offset());
        });
        return result;
    }

    private Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
