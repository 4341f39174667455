package io.sluice.sinks.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * All the JDBC work of one sink: turns a batch of records into rows. The {@link ExactlyOnceSink} owns
 * the transaction; a writer must not commit, roll back or change the auto-commit mode of {@code tx}.
 *
 * <p>How a failure is read: an {@link SQLException} whose SQLState is transient (connection lost,
 * serialization failure, deadlock, shutdown) makes the sink retry the whole batch later; a data or
 * integrity error (SQLState classes 22, 23, …) or a {@link RuntimeException} makes it retry the batch
 * record by record and dead-letter the records that still fail; a statement error (class 42, 3F, …)
 * is a bug in the writer and stops the sink. Since the sink may call {@code write} again with a subset
 * of a batch, a writer keeps no state across calls.
 */
@FunctionalInterface
public interface SinkWriter<K, V> {

    void write(Connection tx, List<SinkRecord<K, V>> batch) throws SQLException;

    /**
     * The records of this batch that {@link #write} rejected one by one and that are being dead-lettered,
     * in the same transaction as the batch's offsets, so a writer can account for them where its rows are
     * (the records sink turns a DONE repository PARTIAL). Called only when there are some; a replay of the
     * same records calls it again, so it must be idempotent. Failures are read as for {@link #write}.
     * Does nothing by default.
     */
    default void rejected(Connection tx, List<SinkRecord<K, V>> rejected) throws SQLException {
    }
}
