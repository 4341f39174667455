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
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.sinks.etl.EtlSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
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
import java.time.Instant;
import java.util.ArrayList;
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
    private final String postgresLabel;

    /** Groups that are sinks by their default id (their offsets in sluice_offsets are what they resume from). */
    public static final Set<String> SINK_GROUPS = Set.of(RecordsSink.DEFAULT_GROUP_ID, EtlSink.GROUP_ID, EventsSink.DEFAULT_GROUP_ID);

    /**
     * @param stateDirRoot the application's {@code state.dir} when it was given one ({@code --state-dir});
     *                     empty: the directories sluice chose by default, {@code <base>/<application id>[.N]}
     *                     (see {@link StateDirectory})
     */
    public Replayer(Admin admin, ConnectionSettings connection, Optional<DataSource> postgres, Optional<Path> stateDirRoot) {
        this(admin, connection, postgres, stateDirRoot, "the given --pg-url");
    }

    /** @param postgresLabel how messages name the database, without credentials (a redacted URL) */
    public Replayer(Admin admin, ConnectionSettings connection, Optional<DataSource> postgres, Optional<Path> stateDirRoot,
                    String postgresLabel) {
        this.postgresLabel = Objects.requireNonNull(postgresLabel, "postgresLabel");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.postgres = Objects.requireNonNull(postgres, "postgres");
        this.stateDirRoot = Objects.requireNonNull(stateDirRoot, "stateDirRoot");
    }

    /**
     * What {@link #apply} would do; changes nothing.
     *
     * @param topics     the topics (and partitions) to move; empty: those the group has offsets for, or for
     *                   {@link ReplayTarget.FromFile} the file's
     * @param streamsApp reset {@code groupId} as a Streams application even when {@link StreamsApps} cannot
     *                   tell (a stateless application with an id sluice does not know)
     * @param force      replay a sink although the database given holds no offsets for it (Kafka's only move)
     */
    public ReplayPlan plan(String groupId, ReplayTarget target, List<TopicSelection> topics, boolean streamsApp, boolean force) {
        GroupLag group = requireIdle(groupId);
        if (group.partitions().isEmpty()) {
            // Kafka would create the group by committing offsets for it: a misspelt id would live on in lag
            throw new ReplayException("unknown group " + groupId + ": it has no committed offsets (in Kafka"
                    + (postgres.isPresent() ? " or in sluice_offsets" : "") + ") and no members; check the id "
                    + "(sluice lag lists the groups). Nothing was changed");
        }
        Set<String> allTopics = get(admin.listTopics().names());
        // a group of the streams protocol is one whatever its topics (and not a sink's, whose commits say so)
        boolean streams = streamsApp || StreamsApps.isStreamsApp(groupId, allTopics) || groupType(groupId).orElse(null) == GroupType.STREAMS;
        List<String> internal = streams ? StreamsApps.internalTopics(groupId, allTopics) : List.of();
        if (!streams && group.source() != OffsetSource.POSTGRES && !force && isSink(groupId)) {
            throw new ReplayException(postgres.isEmpty()
                    ? "group " + groupId + " is a sink, which resumes from sluice_offsets in PostgreSQL: give --pg-url "
                    + "(or SLUICE_PG_URL) of its database, or --force to move Kafka's offsets only"
                    : "the database at " + postgresLabel + " holds no offsets for group " + groupId
                    + ": is this the sink's database? --force to replay anyway");
        }
        Kind kind = streams ? Kind.STREAMS : group.source() == OffsetSource.POSTGRES ? Kind.SINK : Kind.CONSUMER;

        Map<TopicPartition, OptionalLong> current = new HashMap<>();
        for (PartitionLag p : group.partitions()) {
            if (!internal.contains(p.topic())) current.put(new TopicPartition(p.topic(), p.partition()), p.committed());
        }
        List<TopicPartition> partitions;
        if (target instanceof ReplayTarget.FromFile f) {
            partitions = selected(f.offsets().keySet().stream()
                    .collect(Collectors.groupingBy(TopicPartition::topic, Collectors.mapping(TopicPartition::partition, Collectors.toSet())))
                    .entrySet().stream().map(e -> new TopicSelection(e.getKey(), e.getValue())).toList(), allTopics);
        } else if (topics.isEmpty()) {
            partitions = current.entrySet().stream().filter(e -> e.getValue().isPresent()).map(Map.Entry::getKey).toList();
            if (partitions.isEmpty()) {
                throw new ReplayException("group " + groupId + " has no committed offsets on its input topics; name the topics to replay with --topic");
            }
        } else {
            partitions = selected(topics, allTopics);
        }
        if (streams && topics.stream().anyMatch(t -> !t.allPartitions())) {
            throw new ReplayException(groupId + " is a Streams application, which is reset on whole input topics: "
                    + "give --topic without :partitions");
        }
        partitions = partitions.stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).toList();
        ReplayTarget resolved = target instanceof ReplayTarget.ByDuration b ? new ToDatetime(Instant.now().minus(b.duration())) : target;
        Map<TopicPartition, Long> earliest = offsets(partitions, tp -> OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, tp -> OffsetSpec.latest());
        Map<TopicPartition, Long> atTime = resolved instanceof ToDatetime d
                ? offsets(partitions, tp -> OffsetSpec.forTimestamp(d.at().toEpochMilli())) : Map.of();
        List<Move> moves = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OptionalLong now = current.getOrDefault(tp, OptionalLong.empty());
            Long t = atTime.get(tp);
            OptionalLong byTime = t == null || t < 0 ? OptionalLong.empty() : OptionalLong.of(t);
            long start = earliest.get(tp);
            long last = end.get(tp);
            long wanted = resolved.wanted(tp, now, start, last, byTime);
            moves.add(new Move(tp.topic(), tp.partition(), now, resolved.offset(tp, now, start, last, byTime),
                    clamp(resolved, wanted, start, last, byTime)));
        }
        return new ReplayPlan(groupId, kind, resolved, moves, internal, streams ? stateDirs(groupId) : List.of());
    }

    /** Why a target moved elsewhere than asked, as Kafka warns about it; empty when it did not. */
    private static Optional<String> clamp(ReplayTarget target, long wanted, long start, long end, OptionalLong byTime) {
        if (target instanceof ToDatetime d && byTime.isEmpty()) {
            return Optional.of("no record at or after " + d.at() + ": set to the log end " + end);
        }
        if (wanted < start) return Optional.of("offset " + wanted + " is before the log start: clamped to the log start " + start);
        if (wanted > end) return Optional.of("offset " + wanted + " is beyond the log end: clamped to the log end " + end);
        return Optional.empty();
    }

    /**
     * Deletes the consumer group, as {@code kafka-consumer-groups --delete}: only while it has no members; not a
     * Streams application (its internal topics and state would stay behind), not an unknown group.
     *
     * @return whether the group also has offsets in {@code sluice_offsets}, which stay (a sink resumes from them)
     */
    public boolean delete(String groupId) {
        GroupLag group = requireIdle(groupId);
        Optional<GroupType> type = groupType(groupId);
        if (type.orElse(null) == GroupType.STREAMS || StreamsApps.isStreamsApp(groupId, get(admin.listTopics().names()))) {
            throw new ReplayException(groupId + " is a Kafka Streams application: deleting its group would leave its internal "
                    + "topics and local state behind; reset it instead (--to-earliest --execute)");
        }
        if (type.isEmpty()) throw new ReplayException("unknown group " + groupId + ": Kafka has no such group; nothing was deleted");
        get(admin.deleteConsumerGroups(List.of(groupId)).all());
        return group.source() == OffsetSource.POSTGRES;
    }

    /** The group's type as the broker lists it; empty for a group it does not know. */
    private Optional<GroupType> groupType(String groupId) {
        return get(admin.listGroups().all()).stream().filter(g -> g.groupId().equals(groupId)).findFirst()
                .map(g -> g.type().orElse(GroupType.UNKNOWN));
    }

    /** A sluice sink: one of the sinks' default ids, or its Kafka offsets were committed by one. */
    private boolean isSink(String groupId) {
        if (SINK_GROUPS.contains(groupId)) return true;
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        return committed.values().stream().anyMatch(o -> o != null && ExactlyOnceSink.OFFSET_METADATA.equals(o.metadata()));
    }

    /** The partitions of {@code topics}, each of which must exist. */
    private List<TopicPartition> selected(List<TopicSelection> topics, Set<String> allTopics) {
        List<String> unknown = topics.stream().map(TopicSelection::topic).filter(t -> !allTopics.contains(t)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new ReplayException("unknown topic" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + ": the cluster has no such topic");
        }
        Map<String, TopicDescription> described = get(admin.describeTopics(
                topics.stream().map(TopicSelection::topic).distinct().toList()).allTopicNames());
        Set<TopicPartition> out = new java.util.LinkedHashSet<>();
        for (TopicSelection s : topics) {
            Set<Integer> existing = described.get(s.topic()).partitions().stream().map(p -> p.partition()).collect(Collectors.toSet());
            for (int p : s.partitions()) {
                if (!existing.contains(p)) {
                    throw new ReplayException("unknown partition " + s.topic() + ":" + p + ": topic " + s.topic() + " has partitions 0.."
                            + (existing.size() - 1));
                }
            }
            (s.allPartitions() ? existing : s.partitions()).forEach(p -> out.add(new TopicPartition(s.topic(), p)));
        }
        return List.copyOf(out);
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
