package io.sluice.cli.ops;

import io.sluice.cli.Sluice;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice replay}'s options against the real broker, as {@code kafka-consumer-groups --reset-offsets}
 * takes them: plan by default, {@code --execute}, every target, partition selection, unknown names, clamps,
 * {@code --delete}, and the sink database check.
 */
@WithSluiceStack
@Timeout(120)
class ReplayOptionsIT {

    /** Recent: records older than the topic's retention would be deleted. */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void planByDefaultAndEveryTargetWithExecute(TestStack stack, @TempDir Path dir) throws Exception {
        String topic = Kafka.topic(stack, "replay-opts", 3);
        String group = stack.unique("replay-opts");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            produce(producer, topic, 3);
            commit(admin, group, topic, 50, null);

            SluiceRun plan = SluiceRun.of(stack, "replay", "--group", group, "--to-latest");
            assertThat(plan.ok()).containsPattern(topic + "\\s+0\\s+50\\s+100").contains("plan only, nothing changed");
            assertThat(offsets(admin, group, topic)).containsExactly(50L, 50L, 50L);

            execute(stack, group, "--to-latest");
            assertThat(offsets(admin, group, topic)).containsExactly(100L, 100L, 100L);

            // partitions 0 and 2 only; 1 keeps its offset
            execute(stack, group, "--to-offset", "10", "--topic", topic + ":0,2");
            assertThat(offsets(admin, group, topic)).containsExactly(10L, 100L, 10L);

            // --to-current pins the committed offsets
            assertThat(execute(stack, group, "--to-current", "--topic", topic)).containsPattern(topic + "\\s+1\\s+100\\s+100");
            assertThat(offsets(admin, group, topic)).containsExactly(10L, 100L, 10L);

            // records are stamped T0 + i seconds and T0 is 2 h ago: an hour back is past every record
            assertThat(execute(stack, group, "--by-duration", "PT1H"))
                    .contains("warning: " + topic + "-0: no record at or after");
            assertThat(offsets(admin, group, topic)).containsExactly(100L, 100L, 100L);
            execute(stack, group, "--by-duration", "PT3H");
            assertThat(offsets(admin, group, topic)).containsExactly(0L, 0L, 0L);

            Path csv = Files.writeString(dir.resolve("offsets.csv"), topic + ",0,7\n" + topic + ",2,9\n");
            execute(stack, group, "--from-file", csv.toString());
            assertThat(offsets(admin, group, topic)).containsExactly(7L, 0L, 9L);

            assertThat(execute(stack, group, "--shift-by", "-20", "--topic", topic + ":2"))
                    .contains("warning: " + topic + "-2: offset -11 is before the log start: clamped to the log start 0");
            assertThat(offsets(admin, group, topic)).containsExactly(7L, 0L, 0L);
        }
    }

    @Test
    void unknownGroupsTopicsAndPartitionsAreNamedAndNothingIsCreated(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "replay-unknown", 2);
        String group = stack.unique("replay-misspelt");
        try (Admin admin = Kafka.admin(stack)) {
            for (List<String> args : List.of(List.of("--to-earliest"), List.of("--to-earliest", "--topic", topic))) {
                SluiceRun r = run(stack, group, args, "--execute");
                assertThat(r.exit()).isEqualTo(1);
                assertThat(r.err()).contains("unknown group " + group + ": it has no committed offsets");
            }
            assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).doesNotContain(group);

            String known = stack.unique("replay-known");
            commit(admin, known, topic, 0, null);
            SluiceRun noTopic = run(stack, known, List.of("--to-earliest", "--topic", "no-such-topic-" + known), "--execute");
            assertThat(noTopic.exit()).isEqualTo(1);
            assertThat(noTopic.err()).contains("unknown topic no-such-topic-" + known + ": the cluster has no such topic");
            SluiceRun noPartition = run(stack, known, List.of("--to-earliest", "--topic", topic + ":5"), "--execute");
            assertThat(noPartition.exit()).isEqualTo(1);
            assertThat(noPartition.err()).contains("unknown partition " + topic + ":5: topic " + topic + " has partitions 0..1");
        }
    }

    @Test
    void deleteRemovesAnIdleGroupAndRefusesAnUnknownOne(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "replay-delete", 1);
        String group = stack.unique("replay-delete");
        try (Admin admin = Kafka.admin(stack)) {
            commit(admin, group, topic, 0, null);
            assertThat(SluiceRun.of(stack, "replay", "--group", group, "--delete").ok()).contains("deleted group " + group);
            assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).doesNotContain(group);

            SluiceRun again = SluiceRun.of(stack, "replay", "--group", group, "--delete");
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("unknown group " + group);

            // a Streams application: deleting its group would strand its internal topics and state
            String app = stack.unique("replay-app");
            TopicAdmin.ensure(stack.connection(), List.of(app + "-store-changelog"), 1, Duration.ofSeconds(30));
            commit(admin, app, topic, 0, null);
            SluiceRun streams = SluiceRun.of(stack, "replay", "--group", app, "--delete");
            assertThat(streams.exit()).isEqualTo(1);
            assertThat(streams.err()).contains(app + " is a Kafka Streams application");
            assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).contains(app);
        }
    }

    @Test
    void aSinkIsRefusedAgainstADatabaseWithoutItsOffsetsUnlessForced(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "replay-sink", 1);
        String group = stack.unique("replay-sink");
        String database = stack.unique("replay_other").replace('-', '_').toLowerCase(java.util.Locale.ROOT);
        try (Connection c = Kafka.dataSource(stack).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String otherUrl = stack.postgres().jdbcUrlWithCredentials().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            Kafka.send(producer, topic, 12);
            // committed as a sluice sink commits: the marker says the group resumes from sluice_offsets
            commit(admin, group, topic, 12, ExactlyOnceSink.OFFSET_METADATA);

            SluiceRun refused = runWithPg(stack, otherUrl, "replay", "--group", group, "--to-earliest", "--execute");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("the database at ").contains("/" + database)
                    .contains("holds no offsets for group " + group + ": is this the sink's database? --force to replay anyway");
            if (!stack.postgres().password().isEmpty()) assertThat(refused.err()).doesNotContain(stack.postgres().password());
            assertThat(Kafka.committed(admin, group)).containsExactly(Map.entry(topic + "-0", 12L));

            runWithPg(stack, otherUrl, "replay", "--group", group, "--to-earliest", "--execute", "--force").ok();
            assertThat(Kafka.committed(admin, group)).containsExactly(Map.entry(topic + "-0", 0L));
        }
    }

    private static void produce(KafkaProducer<String, String> producer, String topic, int partitions) {
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < 100; i++) producer.send(new ProducerRecord<>(topic, p, T0.plusSeconds(i).toEpochMilli(), "k", "v"));
        }
        producer.flush();
    }

    private static void commit(Admin admin, String group, String topic, long offset, String metadata) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            offsets.put(new TopicPartition(topic, p), metadata == null ? new OffsetAndMetadata(offset) : new OffsetAndMetadata(offset, metadata));
        }
        admin.alterConsumerGroupOffsets(group, offsets).all().get();
    }

    private static String execute(TestStack stack, String group, String... args) {
        SluiceRun r = run(stack, group, List.of(args), "--execute");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed " + group);
        return r.out();
    }

    private static SluiceRun run(TestStack stack, String group, List<String> args, String... more) {
        List<String> all = new ArrayList<>(List.of("replay", "--group", group));
        all.addAll(args);
        all.addAll(List.of(more));
        return SluiceRun.of(stack, all.toArray(String[]::new));
    }

    private static SluiceRun runWithPg(TestStack stack, String pgUrl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", stack.bootstrapServers(), "--pg-url", pgUrl));
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new SluiceRun(exit, out.toString(), err.toString());
    }

    private static List<Long> offsets(Admin admin, String group, String topic) throws Exception {
        Map<String, Long> committed = Kafka.committed(admin, group);
        return List.of(committed.get(topic + "-0"), committed.get(topic + "-1"), committed.get(topic + "-2"));
    }
}
