package io.sluice.sinks.core.internals;

import io.sluice.common.client.ConnectionSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.sinks.core.ErrorReporter;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.core.SinkWriter;
import io.sluice.sinks.core.internals.BatchTransaction.Committed;
import io.sluice.sinks.core.internals.BatchTransaction.Fenced;
import io.sluice.sinks.core.testing.ItemsTable;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One batch transaction against the real PostgreSQL: fencing, record-by-record fallback, all-or-nothing. */
@WithSluiceStack
class BatchTransactionIT {

    private static final String SCHEMA = "sluice_tx";
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    private final List<ConsumerRecord<byte[], byte[]>> reported = new CopyOnWriteArrayList<>();
    private final ErrorReporter capture = (record, reason, error) -> {
        reported.add(record);
        return CompletableFuture.completedFuture(null);
    };
    private HikariDataSource dataSource;
    private ItemsTable table;
    private OffsetStore offsets;
    private String group;

    @BeforeEach
    void setUp(TestStack stack) throws SQLException {
        String name = stack.unique("tx").replace('-', '_');
        SinkConfig config = SinkConfig.builder("tx-it", name, ConnectionSettings.plaintext("unused:9092", null), stack.postgres().jdbcUrl())
                .credentials(stack.postgres().user(), stack.postgres().password()).topics("t").schema(SCHEMA).build();
        dataSource = SinkDataSources.create(config);
        SinkMigrations.migrate(dataSource, SCHEMA);
        table = ItemsTable.create(stack.postgres(), SCHEMA, "items_" + name);
        group = name;
        offsets = new OffsetStore(SCHEMA, name);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
    }

    @Test
    void fencesABatchThatStartsBehindTheStoredOffset() throws Exception {
        assertThat(tx(table.writer()).run(batch(T0, 0, 10, 0))).isInstanceOf(Committed.class);
        // A zombie re-reading from offset 5 (ids 105.. so that a write would not collide but show).
        Batch<String, String> zombie = new Batch<>(concat(records(T0, 5, 15, 100), records(T1, 0, 5, 200)));
        assertThat(tx(table.writer()).run(zombie)).isEqualTo(new Fenced(Set.of(T0)));
        assertThat(table.count()).isEqualTo(10);
        assertThat(table.storedOffsets(group)).isEqualTo(Map.of(T0, 10L));
        // Gaps are fine (transaction markers): 12 > 10 is not behind.
        assertThat(tx(table.writer()).run(batch(T0, 12, 20, 300))).isEqualTo(new Committed(Map.of(T0, 20L), Map.of(T0.topic(), 8), 0));
    }

    @Test
    void ofTwoConcurrentWritersOfTheSameRangeOnlyTheFirstCommits() throws Exception {
        CountDownLatch inWriter = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SinkWriter<String, String> slow = (c, records) -> {
            table.writer().write(c, records);
            inWriter.countDown();
            await(release);
        };
        CompletableFuture<BatchTransaction.Outcome> first = CompletableFuture.supplyAsync(() -> run(tx(slow), batch(T0, 0, 10, 0)));
        await(inWriter);
        // The second starts while the first holds the partition's row (inserted, not yet committed).
        CompletableFuture<BatchTransaction.Outcome> second = CompletableFuture.supplyAsync(() -> run(tx(table.writer()), batch(T0, 0, 10, 100)));
        Thread.sleep(300);
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Committed.class);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Fenced(Set.of(T0)));
        assertThat(table.count()).isEqualTo(10);
    }

    @Test
    void dealsWithARejectedBatchRecordByRecord() throws Exception {
        List<PendingRecord<String, String>> records = new ArrayList<>(records(T0, 0, 6, 0));
        records.add(PendingRecord.decode(Records.raw("t", 0, 6, "6", "reject-6"), new StringDeserializer(), new StringDeserializer()));
        records.add(PendingRecord.decode(Records.raw("t", 0, 7, "7", "bad"), new StringDeserializer(),
                (t, d) -> { throw new IllegalArgumentException("undeserializable"); }));
        records.add(PendingRecord.decode(Records.raw("t", 0, 8, "8", "v8"), new StringDeserializer(), new StringDeserializer()));

        assertThat(tx(table.writer()).run(new Batch<>(records))).isEqualTo(new Committed(Map.of(T0, 9L), Map.of(T0.topic(), 7), 2));
        assertThat(reported).extracting(ConsumerRecord::offset).containsExactlyInAnyOrder(6L, 7L);
        assertThat(table.count()).isEqualTo(7);
    }

    @Test
    void anUnacknowledgedDeadLetterCommitsNothing() throws Exception {
        ErrorReporter down = (r, reason, e) -> CompletableFuture.failedFuture(new TimeoutException("broker down"));
        List<PendingRecord<String, String>> records = new ArrayList<>(records(T0, 0, 3, 0));
        records.add(PendingRecord.decode(Records.raw("t", 0, 3, "3", "reject-3"), new StringDeserializer(), new StringDeserializer()));
        BatchTransaction<String, String> tx = new BatchTransaction<>(dataSource, offsets, table.writer(), down);
        assertThatThrownBy(() -> tx.run(new Batch<>(records))).isInstanceOf(DeadLetterException.class);
        assertThat(table.count()).isZero();
        assertThat(table.storedOffsets(group)).isEmpty();
    }

    @Test
    void anErrorAfterTheWritesCommitsNothing() throws Exception {
        SinkWriter<String, String> dying = (c, records) -> {
            table.writer().write(c, records);
            throw new StackOverflowError("simulated");
        };
        assertThatThrownBy(() -> tx(dying).run(batch(T0, 0, 10, 0))).isInstanceOf(StackOverflowError.class);
        assertThat(table.count()).isZero();
        assertThat(table.storedOffsets(group)).isEmpty();
        // The pooled connection came back clean.
        assertThat(tx(table.writer()).run(batch(T0, 0, 10, 0))).isInstanceOf(Committed.class);
    }

    @Test
    void aBrokenStatementStopsInsteadOfDeadLetteringEverything() {
        SinkWriter<String, String> broken = (c, records) -> c.createStatement().execute("INSERT INTO no_such_table VALUES (1)");
        assertThatThrownBy(() -> tx(broken).run(batch(T0, 0, 3, 0)))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(SqlErrors.classify(e)).isEqualTo(SqlErrors.Kind.FATAL));
        assertThat(reported).isEmpty();
    }

    private BatchTransaction<String, String> tx(SinkWriter<String, String> writer) {
        return new BatchTransaction<>(dataSource, offsets, writer, capture);
    }

    /** Records {@code from..to-1} of a partition, with ids {@code idBase + offset}. */
    private static List<PendingRecord<String, String>> records(TopicPartition tp, long from, long to, long idBase) {
        return LongStream.range(from, to).mapToObj(o -> PendingRecord.decode(
                Records.raw(tp.topic(), tp.partition(), o, Long.toString(idBase + o), "v" + o),
                new StringDeserializer(), new StringDeserializer())).toList();
    }

    private static Batch<String, String> batch(TopicPartition tp, long from, long to, long idBase) {
        return new Batch<>(records(tp, from, to, idBase));
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static BatchTransaction.Outcome run(BatchTransaction<String, String> tx, Batch<String, String> batch) {
        try {
            return tx.run(batch);
        } catch (SQLException | DeadLetterException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
