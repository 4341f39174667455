package io.sluice.ops.monitor;

import io.sluice.ops.lag.GroupLag;
import io.sluice.ops.lag.GroupStatus;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.lag.LagTracker;
import io.sluice.ops.monitor.MonitorState.Backfill;
import io.sluice.ops.monitor.MonitorState.DlqCount;
import io.sluice.ops.monitor.MonitorState.History;
import io.sluice.ops.monitor.MonitorState.HostRate;
import io.sluice.ops.monitor.MonitorState.StageView;
import io.sluice.ops.monitor.MonitorState.WorkloadView;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes one {@link MonitorState} sample: lag per stage through the lag library ({@link LagReader} and
 * {@link LagTracker}), DLQ counts and the backfill total from topic offsets, backfill progress from
 * {@code backfill_dids}, rate-limit state from its {@link RateLimitSource}. A part that cannot be read
 * is left out with a line in {@code errors}; the rest is still current. Each stage's lag and rate also go
 * into its {@link SampleRing}, whose copy travels with the sample. Call from one thread.
 */
final class MonitorSampler implements AutoCloseable {

    static final String DLQ_SUFFIX = ".dlq";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MonitorConfig config;
    private final Admin admin;
    private final Optional<DataSource> postgres;
    private final LagReader lagReader;
    private final LagTracker lagTracker;
    private final ProgressRate backfillRate = new ProgressRate(Duration.ofSeconds(10));
    /** Per group: what the charts draw. A group that two workloads share has one history. */
    private final Map<String, SampleRing> history = new HashMap<>();

    MonitorSampler(MonitorConfig config, Admin admin, Optional<DataSource> postgres) {
        this.config = config;
        this.admin = admin;
        this.postgres = postgres;
        this.lagReader = new LagReader(admin, postgres, TIMEOUT, Optional.of(config.connection().consumer()));
        this.lagTracker = new LagTracker(config.stallAfter());
    }

    @Override
    public void close() {
        lagReader.close();
    }

    MonitorState sample() {
        Instant now = Instant.now();
        List<String> errors = new ArrayList<>();
        List<WorkloadView> workloads = workloads(now, errors);
        Backfill backfill = postgres.isPresent() ? backfill(now, errors) : null;
        List<HostRate> hosts = null;
        if (config.rateLimits().isPresent()) {
            try {
                hosts = config.rateLimits().get().hosts();
            } catch (IOException | RuntimeException e) {
                errors.add("rate limits: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add("rate limits: interrupted");
            }
        }
        List<DlqCount> dlq = dlq(errors);
        return new MonitorState(now.toEpochMilli(), workloads, backfill, hosts, dlq, errors);
    }

    private List<WorkloadView> workloads(Instant now, List<String> errors) {
        Set<String> groups = new LinkedHashSet<>();
        config.workloads().forEach(w -> w.stages().forEach(s -> groups.add(s.group())));
        Map<String, GroupStatus> byGroup = new HashMap<>();
        try {
            List<GroupLag> lags = lagReader.read(groups);
            for (GroupStatus s : lagTracker.update(now, lags)) {
                byGroup.put(s.groupId(), s);
                // an unread group gets no point: a gap in knowledge is not a lag of 0
                history.computeIfAbsent(s.groupId(), g -> new SampleRing(config.historySamples()))
                        .add(now.toEpochMilli(), s.lag().totalLag(), s.ratePerSecond());
            }
        } catch (RuntimeException e) {
            errors.add("lag: " + e.getMessage());
        }
        Map<String, History> histories = new HashMap<>();
        history.forEach((group, ring) -> histories.put(group, ring.snapshot()));
        return config.workloads().stream().map(w -> new WorkloadView(w.id(), w.title(), w.stages().stream()
                .map(stage -> view(stage, byGroup.get(stage.group()), histories.getOrDefault(stage.group(), History.EMPTY)))
                .toList())).toList();
    }

    private static StageView view(Stage stage, GroupStatus s, History history) {
        if (s == null) {
            return new StageView(stage.name(), stage.group(), stage.inputs(), stage.outputs(), 0, 0, 0, "UNKNOWN", null, null,
                    history);
        }
        Long eta = s.timeToDrain().map(Duration::toSeconds).orElse(null);
        return new StageView(stage.name(), stage.group(), stage.inputs(), stage.outputs(), s.lag().members(),
                s.lag().totalLag(), s.ratePerSecond(), s.status().name(), eta, s.lag().source().label(), history);
    }

    private Backfill backfill(Instant now, List<String> errors) {
        long published;
        try {
            published = records(List.of(config.didsTopic())).getOrDefault(config.didsTopic(), 0L);
        } catch (KafkaReadException e) {
            errors.add("backfill total: " + e.getMessage());
            published = 0;
        }
        String sql = "SELECT count(*) FILTER (WHERE state IN ('DONE', 'PARTIAL', 'FAILED')), count(*) FILTER (WHERE state = 'FAILED'), "
                + "count(*) FROM \"" + config.backfillSchema().replace("\"", "\"\"") + "\".backfill_dids";
        try (Connection c = postgres.orElseThrow().getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            long done = rs.getLong(1);
            long failed = rs.getLong(2);
            // Re-publishing a DID appends it again; the table has it once. Neither undercounts the work.
            long total = Math.max(published, rs.getLong(3));
            double rate = backfillRate.add(now, done);
            OptionalLong eta = ProgressRate.eta(done, total, rate);
            return new Backfill(done, failed, total, rate, eta.isPresent() ? eta.getAsLong() : null);
        } catch (SQLException e) {
            // 42P01: the records sink has not created its tables yet
            if (!"42P01".equals(e.getSQLState())) errors.add("backfill progress: " + e.getMessage());
            return new Backfill(0, 0, published, 0, null);
        }
    }

    /** Records in every {@code *.dlq} topic (end minus start offsets over its partitions). */
    private List<DlqCount> dlq(List<String> errors) {
        try {
            Set<String> topics = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> dlqs = topics.stream().filter(t -> t.endsWith(DLQ_SUFFIX)).sorted().toList();
            Map<String, Long> counts = records(dlqs);
            return dlqs.stream().map(t -> new DlqCount(t, counts.getOrDefault(t, 0L))).toList();
        } catch (KafkaReadException | ExecutionException | TimeoutException e) {
            errors.add("dead-letter topics: " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Records present in each topic: the sum over its partitions of end minus start offset; a missing topic is absent. */
    private Map<String, Long> records(Collection<String> topics) throws KafkaReadException {
        Map<String, Long> out = new HashMap<>();
        if (topics.isEmpty()) return out;
        try {
            Map<String, TopicDescription> described = new HashMap<>();
            for (String t : topics) {
                try {
                    described.put(t, admin.describeTopics(List.of(t)).allTopicNames()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(t));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
                }
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.forEach((t, d) -> d.partitions().forEach(p -> {
                earliest.put(new TopicPartition(t, p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest());
            }));
            if (earliest.isEmpty()) return out;
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
                    admin.listOffsets(earliest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            end.forEach((tp, e) -> out.merge(tp.topic(), e.offset() - start.get(tp).offset(), Long::sum));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaReadException(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaReadException("interrupted", e);
        }
    }

    /** Reading offsets from Kafka failed; the message says why. */
    static final class KafkaReadException extends Exception {
        KafkaReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
