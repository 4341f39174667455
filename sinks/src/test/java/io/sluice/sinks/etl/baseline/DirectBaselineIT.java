package io.sluice.sinks.etl.baseline;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.sinks.etl.UserRowsWriter;
import io.sluice.sinks.etl.testing.EtlDatabase;
import io.sluice.sinks.etl.testing.EtlTableContents;
import io.sluice.sinks.etl.testing.TestBundles;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithSluiceStack
class DirectBaselineIT {

    @Test
    void producesTheSameTablesAsTheSinkWriter(TestStack stack) throws SQLException {
        PostgresEndpoint pg = stack.postgres();
        List<Long> documents = LongStream.range(0, 1_234).boxed().toList(); // chunks of 500, the last one partial
        DirectBaseline baseline = new DirectBaseline(new DirectBaseline.Config(pg.jdbcUrl(), pg.user(), pg.password(), "baseline", 3));
        baseline.prepare();
        DirectBaseline.Result result = baseline.run(documents, id -> TestBundles.bundle(id, 1));

        List<UserRows> bundles = documents.stream().map(id -> TestBundles.bundle(id, 1)).toList();
        EtlDatabase sink = EtlDatabase.migrate(pg, "etl");
        long start = System.nanoTime();
        sink.writeInBatches(new UserRowsWriter(sink.schema()), EtlDatabase.records(bundles), EtlSink.BATCH_SIZE);
        double sinkSeconds = (System.nanoTime() - start) / 1e9;

        long rows = bundles.stream().mapToLong(TestBundles::rowCount).sum();
        assertThat(result.documents()).isEqualTo(documents.size());
        assertThat(result.rows()).isEqualTo(rows);
        try (Connection c = pg.connect()) {
            Map<String, String> baselineSums = EtlTableContents.serverChecksums(c, "baseline");
            assertThat(baselineSums).isEqualTo(EtlTableContents.serverChecksums(c, "etl"));
            assertThat(EtlTableContents.read(c, "baseline").rows()).isEqualTo(EtlTableContents.expected(bundles).rows());
        }
        System.out.printf("DirectBaseline (3 workers): %,d rows in %.3f s = %,.0f rows/s; UserRowsWriter (1 connection): %.3f s = %,.0f rows/s%n",
                rows, result.elapsed().toNanos() / 1e9, result.rowsPerSecond(), sinkSeconds, rows / sinkSeconds);
    }

    @Test
    void prepareStartsFromEmptyTablesAndAFailedChunkSurfacesItsError(TestStack stack) throws SQLException {
        PostgresEndpoint pg = stack.postgres();
        DirectBaseline baseline = new DirectBaseline(DirectBaseline.Config.defaults(pg.jdbcUrl(), pg.user(), pg.password()));
        List<UserRows> bundles = LongStream.range(0, 10).mapToObj(id -> TestBundles.bundle(id, 1)).toList();
        baseline.prepare();
        baseline.run(bundles);
        // The same users again: the primary keys refuse them.
        assertThatThrownBy(() -> baseline.run(bundles)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));

        baseline.prepare();
        DirectBaseline.Result again = baseline.run(bundles);
        assertThat(again.rows()).isEqualTo(bundles.stream().mapToLong(TestBundles::rowCount).sum());
        try (Connection c = pg.connect()) {
            assertThat(EtlTableContents.read(c, "baseline").rows()).isEqualTo(EtlTableContents.expected(bundles).rows());
        }
    }
}
