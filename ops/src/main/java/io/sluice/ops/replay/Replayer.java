package io.sluice.ops.replay;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.state.StateDirectory;
import io.sluice.ops.lag.GroupLag;
import io.sluice.ops.lag.GroupLag.OffsetSource;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.lag.PartitionLag;
import io.sluice.ops.replay.ReplayPlan.Kind;
import io.sluice.ops.replay.ReplayPlan.Move;
import io.sluice.ops.replay.ReplayTarget.ToDatetime;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.StreamsResetter;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plans and applies a replay of one group: moves its offsets so that its next run re-reads. Refuses
 * while the group has members (they would overwrite the new offsets with their own).
 *
 * <ul>
 *   <li>A plain consumer group: {@code alterConsumerGroupOffsets}.</li>
 *   <li>A sink (rows in {@code sluice_offsets}): the stored offsets first, in one PostgreSQL
 *       transaction, then Kafka's. PostgreSQL first because it is what the sink seeks to on
 *       assignment: if the Kafka step then fails, the rerun already re-reads, and running the same
 *       replay again (absolute targets are idempotent) sets Kafka's offsets too; the other order could
 *       leave Kafka moved and the sink still resuming where it was.</li>
 *   <li>A Streams application ({@link StreamsApps}): a full application reset by Kafka's own
 *       {@link StreamsResetter} (input topics to the target, internal topics deleted), then its local
 *       state directory {@code <state.dir>/<application.id>} on this machine is deleted.</li>
 * </ul>
 */
public final class Replayer {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final ConnectionSettings connection;
    private final Optional<DataSource> postgres;
    private final Optional<Path> stateDirRoot;

    /**
     * @param stateDirRoot the application's {@code state.dir} when it was given one ({@code --state-dir});
     *                     empty: the directories sluice chose by default, {@code <base>/<application id>[.N]}
     *                     (see {@link StateDirectory})
     */
    public Replayer(Admin admin, ConnectionSettings connection, Optional<DataSource> postgres, Optional<Path> stateDirRoot) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.postgres = Objects.requireNonNull(postgres, "postgres");
        this.stateDirRoot = Objects.requireNonNull(stateDirRoot, "stateDirRoot");
    }

    /**
     * What {@link #apply} would do; changes nothing.
     *
     * @param topics     the topics to move, every partition of each; empty: those the group has offsets for
     * @param streamsApp reset {@code groupId} as a Streams application even when {@link StreamsApps} cannot
     *                   tell (a stateless application with an id sluice does not know)
     */
    public ReplayPlan plan(String groupId, ReplayTarget target, Collection<String> topics, boolean streamsApp) {
        GroupLag group = requireIdle(groupId);
        Set<String> allTopics = get(admin.listTopics().names());
        boolean streams = streamsApp || StreamsApps.isStreamsApp(groupId, allTopics);
        List<String> internal = streams ? StreamsApps.internalTopics(groupId, allTopics) : List.of();
        Kind kind = streams ? Kind.STREAMS : group.source() == OffsetSource.POSTGRES ? Kind.SINK : Kind.CONSUMER;

        Map<TopicPartition, OptionalLong> current = new HashMap<>();
        for (PartitionLag p : group.partitions()) {
            if (!internal.contains(p.topic())) current.put(new TopicPartition(p.topic(), p.partition()), p.committed());
        }
        List<TopicPartition> partitions;
        if (topics.isEmpty()) {
            partitions = current.entrySet().stream().filter(e -> e.getValue().isPresent()).map(Map.Entry::getKey).toList();
            if (partitions.isEmpty()) {
                throw new ReplayException("group " + groupId + " has no committed offsets"
                        + (postgres.isEmpty() ? " in Kafka (without --pg-url a sink's stored offsets are not seen)" : "")
                        + "; name the topics to replay with --topic");
            }
        } else {
            partitions = partitionsOf(topics);
        }
        partitions = partitions.stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).toList();
        Map<TopicPartition, Long> earliest = offsets(partitions, tp -> OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, tp -> OffsetSpec.latest());
        Map<TopicPartition, Long> atTime = target instanceof ToDatetime d
                ? offsets(partitions, tp -> OffsetSpec.forTimestamp(d.at().toEpochMilli())) : Map.of();
        List<Move> moves = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OptionalLong now = current.getOrDefault(tp, OptionalLong.empty());
            Long t = atTime.get(tp);
            OptionalLong byTime = t == null || t < 0 ? OptionalLong.empty() : OptionalLong.of(t);
            moves.add(new Move(tp.topic(), tp.partition(), now, target.offset(now, earliest.get(tp), end.get(tp), byTime)));
        }
        return new ReplayPlan(groupId, kind, target, moves, internal, streams ? stateDirs(groupId) : List.of());
    }

    /** Carries the plan out; checks again that the group has no members. */
    public void apply(ReplayPlan plan) {
        requireIdle(plan.groupId());
        switch (plan.kind()) {
            case CONSUMER -> alterKafkaOffsets(plan);
            case SINK -> {
                try {
                    new StoredOffsetsWriter(postgres.orElseThrow()).write(plan.groupId(), plan.moves());
                } catch (SQLException e) {
                    throw new ReplayException("cannot move the stored offsets of " + plan.groupId()
                            + " (nothing was changed): " + e.getMessage(), e);
                }
                alterKafkaOffsets(plan);
            }
            case STREAMS -> resetStreamsApp(plan);
        }
    }

    private Path writeClientConfig() {
        try {
            Path file = Files.createTempFile("sluice-resetter-", ".properties",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
                connection.clientPropertiesFile().store(out, "sluice replay: client settings for StreamsResetter");
            }
            return file;
        } catch (java.io.IOException e) {
            throw new ReplayException("cannot write the client settings for StreamsResetter: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            // A temp file left behind is no reason to fail the replay that already happened.
        }
    }

    private void resetStreamsApp(ReplayPlan plan) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", connection.bootstrapServers(),
                "--application-id", plan.groupId(), "--input-topics", String.join(",", plan.inputTopics())));
        args.addAll(plan.target().resetterOptions());
        Path clientConfig = null;
        int exit;
        try {
            if (!connection.clientProperties().isEmpty()) {
                // The resetter takes TLS/SASL settings only from a file: write the command's, readable by us alone.
                clientConfig = writeClientConfig();
                args.addAll(List.of("--config-file", clientConfig.toString()));
            }
            exit = new StreamsResetter().execute(args.toArray(String[]::new));
        } finally {
            if (clientConfig != null) deleteQuietly(clientConfig);
        }
        if (exit != 0) throw new ReplayException("StreamsResetter failed for " + plan.groupId() + " (exit " + exit + "), see its output above");
        plan.stateDirs().forEach(Replayer::deleteRecursively);
    }

    /** Kafka Streams keeps an application's state in {@code <state.dir>/<application id>}. */
    private List<Path> stateDirs(String applicationId) {
        List<Path> roots = stateDirRoot.map(List::of)
                .orElseGet(() -> StateDirectory.instances(StateDirectory.defaultBase(), applicationId));
        return roots.stream().map(root -> root.resolve(applicationId)).toList();
    }

    private void alterKafkaOffsets(ReplayPlan plan) {
        Map<TopicPartition, OffsetAndMetadata> offsets = plan.moves().stream().collect(Collectors.toMap(
                m -> new TopicPartition(m.topic(), m.partition()), m -> new OffsetAndMetadata(m.target())));
        get(admin.alterConsumerGroupOffsets(plan.groupId(), offsets).all());
    }

    private GroupLag requireIdle(String groupId) {
        GroupLag group = new LagReader(admin, postgres).read(List.of(groupId)).getFirst();
        if (group.members() > 0) {
            throw new ReplayException("group " + groupId + " has " + group.members() + " active member"
                    + (group.members() == 1 ? "" : "s") + ": stop every instance first (a running consumer would "
                    + "overwrite the replayed offsets with its own; a stopped Kafka Streams instance stays a member "
                    + "until its session times out, 45 s by default)");
        }
        return group;
    }

    private List<TopicPartition> partitionsOf(Collection<String> topics) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
        return described.values().stream().flatMap(d -> d.partitions().stream()
                .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, Function<TopicPartition, OffsetSpec> spec) {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos =
                get(admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), spec))).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        infos.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the local state " + dir + ": delete it by hand", e);
        }
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ReplayException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted", e);
        } catch (TimeoutException e) {
            throw new ReplayException("the broker did not answer within " + TIMEOUT, e);
        }
    }
}
