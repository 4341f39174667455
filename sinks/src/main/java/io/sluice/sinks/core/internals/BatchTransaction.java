package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.ErrorReporter;
import io.sluice.sinks.core.SinkReason;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes one {@link Batch} in one PostgreSQL transaction: locks and checks the partitions' stored
 * offsets (fencing), hands the records to the writer, falls back to record by record under savepoints
 * when the writer rejects the batch, tells the writer which records it rejected, reports the rejected
 * and undeserializable records and waits for the acknowledgements, stores the next offsets, commits.
 *
 * <p>Guarantees: rows and offsets commit together or not at all, whatever is thrown (an {@link Error}
 * included); a record is reported before the offsets past it commit.
 */
public final class BatchTransaction<K, V> {

    private static final Logger log = LoggerFactory.getLogger(BatchTransaction.class);

    /** What became of a batch. */
    public sealed interface Outcome permits Committed, Fenced {
    }

    /** Committed; {@code nextOffsets} are now in PostgreSQL; {@code writtenByTopic} counts written records per source topic. */
    public record Committed(Map<TopicPartition, Long> nextOffsets, Map<String, Integer> writtenByTopic, int deadLettered)
            implements Outcome {

        public Committed {
            writtenByTopic = Map.copyOf(writtenByTopic);
        }

        /** Records written, all topics together. */
        public int written() {
            return writtenByTopic.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Rolled back: another instance already stored offsets past this batch for these partitions. */
    public record Fenced(Set<TopicPartition> partitions) implements Outcome {
    }

    /** {@code decoded}: the record as the writer saw it, null when it could not be deserialized. */
    private record Rejected<K, V>(ConsumerRecord<byte[], byte[]> raw, SinkRecord<K, V> decoded, SinkReason reason,
                                  Exception error) {
    }

    private final DataSource dataSource;
    private final OffsetStore offsets;
    private final SinkWriter<K, V> writer;
    private final ErrorReporter errors;

    public BatchTransaction(DataSource dataSource, OffsetStore offsets, SinkWriter<K, V> writer, ErrorReporter errors) {
        this.dataSource = dataSource;
        this.offsets = offsets;
        this.writer = writer;
        this.errors = errors;
    }

    /**
     * @throws SQLException        from PostgreSQL (the caller classifies it), nothing committed
     * @throws DeadLetterException a report was not acknowledged, nothing committed
     */
    public Outcome run(Batch<K, V> batch) throws SQLException, DeadLetterException {
        if (batch.isEmpty()) return new Committed(Map.of(), Map.of(), 0);
        try (Connection c = dataSource.getConnection()) {
            boolean committed = false;
            try {
                c.setAutoCommit(false);
                Set<TopicPartition> fenced = offsets.lockAndFence(c, batch.firstOffsets());
                if (!fenced.isEmpty()) return new Fenced(fenced);
                List<Rejected<K, V>> rejected = new ArrayList<>();
                for (PendingRecord<K, V> r : batch.undecodable()) {
                    rejected.add(new Rejected<>(r.raw(), null, SinkReason.DESERIALIZATION, r.decodeError()));
                }
                Map<String, Integer> written = write(c, batch.records().stream().filter(PendingRecord::isDecoded).toList(), rejected);
                List<SinkRecord<K, V>> refused = rejected.stream().map(Rejected::decoded).filter(Objects::nonNull).toList();
                if (!refused.isEmpty()) writer.rejected(c, refused);
                // Before the commit: a crash from here on can only report a record twice, never lose it.
                report(rejected);
                offsets.store(c, batch.nextOffsets());
                c.commit();
                committed = true;
                return new Committed(batch.nextOffsets(), written, rejected.size());
            } finally {
                // A finally, not a catch: an Error (the crash test's "kill") must not leave the rows behind either.
                if (!committed) rollbackQuietly(c);
            }
        }
    }

    private Map<String, Integer> write(Connection c, List<PendingRecord<K, V>> good, List<Rejected<K, V>> rejected)
            throws SQLException {
        if (good.isEmpty()) return Map.of();
        Savepoint whole = c.setSavepoint();
        try {
            writer.write(c, good.stream().map(PendingRecord::decoded).toList());
            c.releaseSavepoint(whole);
            return countByTopic(good);
        } catch (SQLException e) {
            if (SqlErrors.classify(e) != SqlErrors.Kind.RECORD) throw e;
            log.info("writer rejected a batch of {} ({}), retrying record by record", good.size(),
                    SqlErrors.mostSpecific(e).getMessage());
        } catch (RuntimeException e) {
            log.info("writer rejected a batch of {} ({}), retrying record by record", good.size(), e.toString());
        }
        c.rollback(whole);
        List<PendingRecord<K, V>> written = new ArrayList<>();
        for (PendingRecord<K, V> r : good) {
            Savepoint one = c.setSavepoint();
            try {
                writer.write(c, List.of(r.decoded()));
                c.releaseSavepoint(one);
                written.add(r);
            } catch (SQLException e) {
                if (SqlErrors.classify(e) != SqlErrors.Kind.RECORD) throw e;
                c.rollback(one);
                Exception specific = SqlErrors.mostSpecific(e);
                rejected.add(new Rejected<>(r.raw(), r.decoded(), SinkReason.of(specific), specific));
            } catch (RuntimeException e) {
                c.rollback(one);
                rejected.add(new Rejected<>(r.raw(), r.decoded(), SinkReason.of(e), e));
            }
        }
        return countByTopic(written);
    }

    private static <K, V> Map<String, Integer> countByTopic(List<PendingRecord<K, V>> records) {
        Map<String, Integer> counts = new HashMap<>();
        records.forEach(r -> counts.merge(r.raw().topic(), 1, Integer::sum));
        return counts;
    }

    private void report(List<Rejected<K, V>> rejected) throws DeadLetterException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(rejected.size());
        for (Rejected<K, V> r : rejected) {
            log.warn("dead-lettering {}-{}@{} ({}): {}", r.raw().topic(), r.raw().partition(), r.raw().offset(),
                    r.reason().code(), r.error().toString());
            try {
                acks.add(errors.report(r.raw(), r.reason(), r.error()));
            } catch (RuntimeException e) {
                throw new DeadLetterException("could not report " + r.raw().topic() + "-" + r.raw().partition()
                        + "@" + r.raw().offset(), e);
            }
        }
        for (CompletableFuture<Void> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new DeadLetterException("dead-letter report not acknowledged", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is likely gone (that may be why we are here); the server rolls back on its own.
            log.debug("rollback failed: {}", e.toString());
        }
    }

}
