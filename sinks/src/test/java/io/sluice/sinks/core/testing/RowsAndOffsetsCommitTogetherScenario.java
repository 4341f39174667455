package io.sluice.sinks.core.testing;

import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.sinks.core.testing.FaultInjector.Point;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.TestStack;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guarantee exactly-once rests on, for the sink core and each sink built on it: a batch's rows and its
 * offsets commit in one transaction. A fault that lands between the writer's rows and the stored offsets
 * (or on the commit) must leave neither in PostgreSQL; the retry then writes every record once and stores
 * the offsets at the end. A change committing the rows and the offsets in two transactions fails here, as
 * the crash tests (which throw inside the writer, before any commit) cannot show. One subclass per sink.
 */
public abstract class RowsAndOffsetsCommitTogetherScenario {

    protected static final Duration WAIT = Duration.ofSeconds(90);

    /** One sink over topics, a schema and a group of its own, whose records are already in Kafka. */
    protected interface Subject {

        /** The sink under test, connecting through {@code connections}. */
        ExactlyOnceSink<?, ?> sink(UnaryOperator<DataSource> connections);

        String group();

        /** The schema of the sink's tables and {@code sluice_offsets}. */
        String schema();

        /** One number, the rows the sink has written, schema-qualified (it also runs in the sink's transaction). */
        String rowsQuery();

        /** The rows once every record is written. */
        long expectedRows();

        /** The records in Kafka; each is written once. */
        long records();

        /** The end offsets of the sink's topics, where its stored offsets must end. */
        Map<TopicPartition, Long> endOffsets() throws Exception;
    }

    /** Creates topics, schema and group, and produces the records. */
    protected abstract Subject subject(TestStack stack) throws Exception;

    @ParameterizedTest(name = "fault {0}")
    @EnumSource(Point.class)
    protected void aFaultBetweenTheRowsAndTheOffsetsCommitsNeitherAndTheRetryWritesEachRecordOnce(Point point, TestStack stack)
            throws Exception {
        Subject s = subject(stack);
        FaultInjector faults = new FaultInjector(point, s.rowsQuery());
        try (RunningSink sink = RunningSink.start(s.sink(faults), s.group())) {
            faults.awaitFaultedAndClosed(WAIT);
            // Not vacuous: when the fault fired after the rows, the failed transaction did hold rows.
            long heldAtFault = faults.rowsAtFault().orElseThrow();
            if (point == Point.BEFORE_ROWS) assertThat(heldAtFault).as("rows written before the writer ran").isZero();
            else assertThat(heldAtFault).as("rows the failed transaction had written when the fault hit").isPositive();

            assertThat(count(stack.postgres(), s.rowsQuery())).as("rows committed by the failed batch (fault " + point + ")").isZero();
            assertThat(storedOffsets(stack.postgres(), s)).as("offsets committed by the failed batch (fault " + point + ")").isEmpty();

            faults.release();
            Map<TopicPartition, Long> ends = s.endOffsets();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(sink::assertRunning)
                    .until(() -> storedOffsets(stack.postgres(), s).equals(ends));
            assertThat(count(stack.postgres(), s.rowsQuery())).isEqualTo(s.expectedRows());
            assertThat(sink.counters()).extracting(SinkCounters::recordsWritten, SinkCounters::deadLettered)
                    .containsExactly(s.records(), 0L);
            assertThat(sink.counters().retries()).isPositive();
        } finally {
            faults.release();
        }
    }

    private static long count(PostgresEndpoint pg, String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<TopicPartition, Long> storedOffsets(PostgresEndpoint pg, Subject s) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT topic, partition, next_offset FROM " + s.schema() + ".sluice_offsets WHERE group_id = ?")) {
            ps.setString(1, s.group());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return stored;
    }
}
