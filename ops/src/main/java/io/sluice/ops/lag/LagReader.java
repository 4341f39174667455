package io.sluice.ops.lag;

import io.sluice.ops.lag.GroupLag.OffsetSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads consumer groups' positions from the broker and, when given PostgreSQL, the sinks' stored
 * offsets ({@link SinkOffsets}), which replace Kafka's for a group that has any: a sink resumes from
 * them, and commits to Kafka only afterwards (or not at all, when that commit fails).
 *
 * <p>Streams applications: with the classic rebalance protocol (the default of Kafka Streams 4.x, and
 * what sluice's apps use) an application is a consumer group whose id is the application id, so it
 * reads like any other group. With the new {@code streams} protocol the broker lists it as a group of
 * type STREAMS, whose members and offsets have their own calls; both are handled.
 *
 * <p>Partitions of a group: those it has committed offsets for (in Kafka or PostgreSQL) and those
 * assigned to its members, so a member that has committed nothing yet shows its lag from the log start.
 * <p>End offsets are last stable offsets ({@code OffsetSpec.latest()} read_committed): what a
 * read_committed consumer can reach, so an open transaction is not lag. Commit markers and aborted
 * records take offsets a consumer never receives; given consumer settings, the reader asks a consumer
 * of its own where the first deliverable record after each committed offset is ({@link CommittedTail})
 * and counts the lag from there, so a drained group shows 0 whether it committed its position (past
 * the marker, as Kafka's consumer and Streams do) or "last record + 1" (as the sinks do). That
 * consumer stays open between reads: close the reader; use it from one thread at a time.
 */
public final class LagReader implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How long one sample may spend looking past transaction markers. */
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(5);

    private final Admin admin;
    private final Optional<SinkOffsets> sinkOffsets;
    private final Duration timeout;
    private final Optional<CommittedTail> tail;

    /** Lag counted from the committed offsets, transaction markers included. */
    public LagReader(Admin admin, Optional<DataSource> postgres) {
        this(admin, postgres, DEFAULT_TIMEOUT);
    }

    /** Lag counted from the committed offsets, transaction markers included. */
    public LagReader(Admin admin, Optional<DataSource> postgres, Duration timeout) {
        this(admin, postgres, timeout, Optional.empty());
    }

    /**
     * @param consumerProperties the cluster's connection settings, for a consumer that looks past commit
     *                           markers and aborted records; without them those count as lag
     */
    public LagReader(Admin admin, Optional<DataSource> postgres, Duration timeout, Optional<Map<String, Object>> consumerProperties) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.sinkOffsets = postgres.map(SinkOffsets::new);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.tail = consumerProperties.map(p -> new CommittedTail(p, PROBE_BUDGET));
    }

    /** Reads with the default timeout and looks past transaction markers with these consumer settings. */
    public static LagReader readCommitted(Admin admin, Optional<DataSource> postgres, Map<String, Object> consumerProperties) {
        return new LagReader(admin, postgres, DEFAULT_TIMEOUT, Optional.of(consumerProperties));
    }

    /**
     * Every group the broker knows that consumes (consumer and Streams groups, not share groups or
     * Connect workers), and every group with offsets stored in PostgreSQL; sorted.
     */
    public List<String> groups() {
        Set<String> ids = new TreeSet<>(listings().keySet());
        if (sinkOffsets.isPresent()) {
            try {
                ids.addAll(sinkOffsets.get().groups());
            } catch (SQLException e) {
                throw new LagReadException("cannot read sluice_offsets: " + e.getMessage(), e);
            }
        }
        return List.copyOf(ids);
    }

    /** One sample of these groups, in the given order; an unknown group reads as no members, no partitions. */
    public List<GroupLag> read(Collection<String> groupIds) {
        List<String> ids = groupIds.stream().distinct().toList();
        if (ids.isEmpty()) return List.of();
        Map<String, GroupListing> listings = listings();
        List<String> streams = ids.stream().filter(id -> isStreamsProtocol(listings.get(id))).toList();
        List<String> classic = ids.stream().filter(id -> !streams.contains(id)).toList();

        Map<String, Integer> members = new HashMap<>();
        Map<String, Set<TopicPartition>> assigned = new HashMap<>();
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        if (!classic.isEmpty()) {
            var described = admin.describeConsumerGroups(classic).describedGroups();
            var offsets = admin.listConsumerGroupOffsets(classic.stream()
                    .collect(Collectors.toMap(Function.identity(), id -> new ListConsumerGroupOffsetsSpec())));
            for (String id : classic) {
                Optional<ConsumerGroupDescription> d = ifFound(described.get(id));
                members.put(id, d.map(g -> g.members().size()).orElse(0));
                assigned.put(id, d.stream().flatMap(g -> g.members().stream()).map(MemberDescription::assignment)
                        .flatMap(a -> a.topicPartitions().stream()).collect(Collectors.toSet()));
                committed.put(id, ifFound(offsets.partitionsToOffsetAndMetadata(id)).map(LagReader::present).orElse(Map.of()));
            }
        }
        if (!streams.isEmpty()) {
            var described = admin.describeStreamsGroups(streams).describedGroups();
            var offsets = admin.listStreamsGroupOffsets(streams.stream()
                    .collect(Collectors.toMap(Function.identity(), id -> new ListStreamsGroupOffsetsSpec())));
            for (String id : streams) {
                members.put(id, ifFound(described.get(id)).map(g -> g.members().size()).orElse(0));
                committed.put(id, ifFound(offsets.partitionsToOffsetAndMetadata(id)).map(LagReader::present).orElse(Map.of()));
            }
        }
        Map<String, Map<TopicPartition, Long>> stored = storedOffsets(ids);

        Map<String, OffsetSource> sources = new HashMap<>();
        Map<String, Map<TopicPartition, Long>> positions = new HashMap<>();
        Set<TopicPartition> all = new HashSet<>();
        for (String id : ids) {
            boolean inPostgres = stored.containsKey(id) && !stored.get(id).isEmpty();
            sources.put(id, inPostgres ? OffsetSource.POSTGRES : OffsetSource.KAFKA);
            Map<TopicPartition, Long> pos = inPostgres ? stored.get(id) : committed.getOrDefault(id, Map.of());
            positions.put(id, pos);
            all.addAll(pos.keySet());
            all.addAll(assigned.getOrDefault(id, Set.of()));
        }
        Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        Set<TopicPartition> uncommitted = new HashSet<>();
        for (String id : ids) {
            for (TopicPartition tp : assigned.getOrDefault(id, Set.of())) {
                if (!positions.get(id).containsKey(tp)) uncommitted.add(tp);
            }
        }
        Map<TopicPartition, Long> starts = offsets(uncommitted, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
        List<Map<TopicPartition, Long>> froms = new ArrayList<>(positions.values());
        froms.add(starts);
        Map<TopicPartition, Map<Long, Long>> deliverable = deliverable(froms, ends);

        List<GroupLag> out = new ArrayList<>();
        for (String id : ids) {
            Set<TopicPartition> partitions = new HashSet<>(positions.get(id).keySet());
            partitions.addAll(assigned.getOrDefault(id, Set.of()));
            List<PartitionLag> lags = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (!ends.containsKey(tp)) continue; // topic deleted since the commit
                Long pos = positions.get(id).get(tp);
                OptionalLong c = pos == null ? OptionalLong.empty() : OptionalLong.of(pos);
                long from = pos == null ? starts.getOrDefault(tp, 0L) : pos;
                from = deliverable.getOrDefault(tp, Map.of()).getOrDefault(from, from);
                lags.add(new PartitionLag(tp.topic(), tp.partition(), c, ends.get(tp), Math.max(0, ends.get(tp) - from)));
            }
            out.add(new GroupLag(id, members.getOrDefault(id, 0), sources.get(id), lags));
        }
        return out;
    }

    /** Closes the consumer that looks past transaction markers, if any; the admin client is the caller's. */
    @Override
    public void close() {
        tail.ifPresent(CommittedTail::close);
    }

    /** Consuming groups by id: share groups and non-consumer protocols (Connect workers) left out. */
    private Map<String, GroupListing> listings() {
        Map<String, GroupListing> out = new HashMap<>();
        for (GroupListing g : get(admin.listGroups().all())) {
            GroupType type = g.type().orElse(GroupType.UNKNOWN);
            boolean consuming = type == GroupType.STREAMS || type == GroupType.CONSUMER
                    || ((type == GroupType.CLASSIC || type == GroupType.UNKNOWN)
                    && (g.protocol().isEmpty() || g.protocol().equals("consumer")));
            if (consuming) out.put(g.groupId(), g);
        }
        return out;
    }

    private static boolean isStreamsProtocol(GroupListing listing) {
        return listing != null && listing.type().orElse(GroupType.UNKNOWN) == GroupType.STREAMS;
    }

    private Map<String, Map<TopicPartition, Long>> storedOffsets(List<String> ids) {
        if (sinkOffsets.isEmpty()) return Map.of();
        try {
            return sinkOffsets.get().read(ids);
        } catch (SQLException e) {
            throw new LagReadException("cannot read sluice_offsets: " + e.getMessage(), e);
        }
    }

    /**
     * Per partition and committed offset below its LSO, the first deliverable record's offset (or the
     * LSO): one probe round per distinct offset, as one consumer holds one position per partition.
     */
    private Map<TopicPartition, Map<Long, Long>> deliverable(Collection<Map<TopicPartition, Long>> positions,
                                                            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Map<Long, Long>> out = new HashMap<>();
        if (tail.isEmpty()) return out;
        Map<TopicPartition, TreeSet<Long>> wanted = new HashMap<>();
        for (Map<TopicPartition, Long> group : positions) {
            group.forEach((tp, pos) -> {
                if (ends.containsKey(tp) && pos < ends.get(tp)) wanted.computeIfAbsent(tp, k -> new TreeSet<>()).add(pos);
            });
        }
        while (!wanted.isEmpty()) {
            Map<TopicPartition, Long> round = new HashMap<>();
            wanted.forEach((tp, offsets) -> round.put(tp, offsets.pollFirst()));
            wanted.values().removeIf(Set::isEmpty);
            tail.get().firstDeliverable(round, ends)
                    .forEach((tp, first) -> out.computeIfAbsent(tp, k -> new HashMap<>()).put(round.get(tp), first));
        }
        return out;
    }

    /** Offsets of the partitions that still exist; a deleted topic's partitions are left out. */
    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation) {
        if (partitions.isEmpty()) return Map.of();
        var result = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec)),
                new ListOffsetsOptions(isolation));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            try {
                ListOffsetsResultInfo info = result.partitionResult(tp).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                out.put(tp, info.offset());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw failure(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LagReadException("interrupted", e);
            } catch (TimeoutException e) {
                throw new LagReadException("the broker did not answer within " + timeout, e);
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> present(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) out.put(tp, om.offset());
        });
        return out;
    }

    /** The future's value, or empty when the broker does not know the group (4.x says so; a group may live only in PostgreSQL). */
    private <T> Optional<T> ifFound(KafkaFuture<T> future) {
        try {
            return Optional.of(get(future));
        } catch (LagReadException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) return Optional.empty();
            throw e;
        }
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagReadException("interrupted", e);
        } catch (TimeoutException e) {
            throw new LagReadException("the broker did not answer within " + timeout, e);
        }
    }

    private static LagReadException failure(ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new LagReadException("cannot read group offsets: " + cause.getMessage(), cause);
    }
}
