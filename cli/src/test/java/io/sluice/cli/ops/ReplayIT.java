package io.sluice.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ops.testing.GroupMember;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice replay} and {@code sluice lag} on plain consumer groups, through the CLI against the
 * real broker: refusal while members are active, a plan (the default, and --dry-run) that changes nothing,
 * every target with --execute.
 */
@WithSluiceStack
@Timeout(120)
class ReplayIT {

    /** Recent: records older than the topic's retention (7 days) would be deleted at once. */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Test
    void refusesWhileTheGroupHasActiveMembers(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "replay", 1);
        String group = stack.unique("replay-active");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack);
             GroupMember member = new GroupMember(stack, group, topic)) {
            Kafka.send(producer, topic, 20);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Map.of(topic + "-0", 20L).equals(Kafka.committed(admin, group)) && System.nanoTime() < deadline) {
                member.assertRunning();
                Thread.sleep(50);
            }
            assertThat(Kafka.committed(admin, group)).containsExactly(Map.entry(topic + "-0", 20L));

            SluiceRun r = SluiceRun.of(stack, "replay", "--group", group, "--to-earliest", "--execute");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("group " + group + " has 1 active member: stop every instance first");
            assertThat(Kafka.committed(admin, group)).containsExactly(Map.entry(topic + "-0", 20L));
        }
    }

    @Test
    void aDryRunPrintsThePlanAndEveryTargetMovesTheCommittedOffsets(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "replay", 2);
        String group = stack.unique("replay-targets");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            // 100 records per partition, record i stamped T0 + i seconds
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, p, T0.plusSeconds(i).toEpochMilli(), "k", "v"));
                }
            }
            producer.flush();
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(50),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(60))).all().get();

            // plan by default, as kafka-consumer-groups --reset-offsets without --execute
            SluiceRun plan = SluiceRun.of(stack, "replay", "--group", group, "--to-earliest");
            assertThat(plan.exit()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("replay " + group + " (consumer group: Kafka offsets) to the earliest offsets")
                    .containsPattern(topic + "\\s+0\\s+50\\s+0")
                    .containsPattern(topic + "\\s+1\\s+60\\s+0")
                    .contains("plan only, nothing changed: add --execute to carry it out");
            assertThat(offsets(admin, group, topic)).containsExactly(50L, 60L);
            // --dry-run: the old opt-in, still accepted, still plan only
            SluiceRun dry = SluiceRun.of(stack, "replay", "--group", group, "--to-earliest", "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("plan only, nothing changed");
            assertThat(offsets(admin, group, topic)).containsExactly(50L, 60L);

            assertThat(replay(stack, group, "--to-offset", "70")).containsPattern(topic + "\\s+1\\s+60\\s+70");
            assertThat(offsets(admin, group, topic)).containsExactly(70L, 70L);

            replay(stack, group, "--shift-by", "-30");
            assertThat(offsets(admin, group, topic)).containsExactly(40L, 40L);

            assertThat(replay(stack, group, "--to-offset", "1000"))
                    .contains("warning: " + topic + "-0: offset 1000 is beyond the log end: clamped to the log end 100")
                    .contains("warning: " + topic + "-1: offset 1000 is beyond the log end: clamped to the log end 100");
            assertThat(offsets(admin, group, topic)).as("clamped to the log end").containsExactly(100L, 100L);

            replay(stack, group, "--to-datetime", T0.plusSeconds(25).toString());
            assertThat(offsets(admin, group, topic)).containsExactly(25L, 25L);

            replay(stack, group, "--to-earliest", "--topic", topic);
            assertThat(offsets(admin, group, topic)).containsExactly(0L, 0L);

            // and sluice lag sees it: no members, the whole topic to read again: ERROR
            SluiceRun lag = SluiceRun.of(stack, "lag", "--group", group, "--interval", "100ms", "--json");
            assertThat(lag.exit()).as(lag.err()).isZero();
            JsonNode g = new ObjectMapper().readTree(lag.out()).get("groups").get(0);
            assertThat(g.get("group").asText()).isEqualTo(group);
            assertThat(g.get("status").asText()).as("lag and nobody to read it").isEqualTo("ERROR");
            assertThat(g.get("lag").asLong()).isEqualTo(200);
            assertThat(g.get("partitions")).hasSize(2);
            SluiceRun table = SluiceRun.of(stack, "lag", "--group", group, "--interval", "100ms");
            assertThat(table.out()).contains(group + "  ERROR  members 0  lag 200").containsPattern(topic + "\\s+0\\s+0\\s+100\\s+100");
        }
    }

    private static String replay(TestStack stack, String group, String... target) {
        List<String> args = new ArrayList<>(List.of("replay", "--group", group, "--execute"));
        args.addAll(List.of(target));
        SluiceRun r = SluiceRun.of(stack, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed " + group);
        return r.out();
    }

    private static List<Long> offsets(Admin admin, String group, String topic) throws Exception {
        Map<String, Long> committed = Kafka.committed(admin, group);
        return List.of(committed.get(topic + "-0"), committed.get(topic + "-1"));
    }
}
