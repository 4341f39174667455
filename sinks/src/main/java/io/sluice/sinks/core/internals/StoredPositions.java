package io.sluice.sinks.core.internals;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts partitions where PostgreSQL says they stand. Consumes partitions the consumer was given (or that
 * a fenced batch showed to be behind); produces seeks to their {@code sluice_offsets} next offsets, or to
 * the beginning for a partition never written. Guarantees: a partition stays paused, so no record of it
 * is read, until it has been positioned. Not thread-safe: the sink's loop thread only.
 */
public final class StoredPositions {

    private static final Logger log = LoggerFactory.getLogger(StoredPositions.class);

    private final Consumer<?, ?> consumer;
    private final DataSource dataSource;
    private final OffsetStore offsets;
    private final Set<TopicPartition> pending = new HashSet<>();

    public StoredPositions(Consumer<?, ?> consumer, DataSource dataSource, OffsetStore offsets) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.offsets = offsets;
    }

    /** These partitions must be (re)positioned before they are read; pauses them meanwhile. */
    public void require(Collection<TopicPartition> partitions) {
        pending.addAll(partitions);
        consumer.pause(partitions);
    }

    /** Revoked partitions need no position any more. */
    public void forget(Collection<TopicPartition> partitions) {
        pending.removeAll(partitions);
    }

    public boolean isPending() {
        return !pending.isEmpty();
    }

    public boolean isPending(TopicPartition partition) {
        return pending.contains(partition);
    }

    /** The assigned partitions that may be fetched: all but those waiting for a position. */
    public List<TopicPartition> ready() {
        List<TopicPartition> ready = new ArrayList<>(consumer.assignment());
        ready.removeAll(pending);
        return ready;
    }

    /** Reads the stored offsets, seeks and resumes every pending partition. */
    public void positionPending() throws SQLException {
        Map<TopicPartition, Long> stored;
        try (Connection c = dataSource.getConnection()) {
            stored = offsets.read(c, pending);
            c.commit();
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : pending) {
            Long next = stored.get(tp);
            if (next == null) fromStart.add(tp);
            else consumer.seek(tp, next);
        }
        // No stored offset: nothing of this partition was ever written, so start at the beginning even if
        // Kafka has a committed offset (PostgreSQL, not Kafka, says what was written).
        if (!fromStart.isEmpty()) consumer.seekToBeginning(fromStart);
        log.info("positioned {} at stored offsets {} (from the beginning: {})", pending, stored, fromStart);
        consumer.resume(pending);
        pending.clear();
    }
}
