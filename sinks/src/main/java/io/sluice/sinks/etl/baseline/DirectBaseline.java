package io.sluice.sinks.etl.baseline;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.etl.Column;
import io.sluice.sinks.etl.EtlSchema;
import io.sluice.sinks.etl.EtlTable;
import io.sluice.sinks.etl.EtlTables;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The ETL benchmark's baseline: the seed design (the Go and Rust ETLs of the reference), without Kafka.
 *
 * <p>Consumes documents already in memory and the transform that flattens one into a {@link UserRows}
 * bundle (the flattener's, so both paths write the same rows). Produces the same 15 tables as the sink,
 * in a schema of their own: chunks of {@value #BATCH_SIZE} documents are transformed and loaded by
 * {@code workers} threads, each chunk in one transaction, table by table in dependency order, as JDBC
 * batches of {@value #BATCH_SIZE} INSERTs that pgjdbc rewrites into multi-row INSERTs
 * ({@code reWriteBatchedInserts=true}). Returns the wall time from the first transform to the last commit.
 *
 * <p>Guarantees nothing beyond the run: a failed chunk rolls back, the others may have committed.
 */
public final class DirectBaseline {

    /** The seed design's batch size, for documents per chunk and rows per JDBC batch alike. */
    public static final int BATCH_SIZE = 500;
    /** Names of the worker threads and the backends' application_name, for whoever measures a run. */
    public static final String THREAD_PREFIX = "etl-baseline-";
    public static final String APPLICATION_NAME = "sluice-etl-baseline";

    /**
     * @param jdbcUrl  PostgreSQL JDBC URL, without credentials
     * @param user     role, empty for the driver's default
     * @param password password, empty for trust auth
     * @param schema   the baseline's own schema, e.g. {@code baseline}; {@link #prepare()} recreates it
     * @param workers  chunks loaded in parallel; the seed design uses twice the CPU count
     */
    public record Config(String jdbcUrl, String user, String password, String schema, int workers) {

        public Config {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must be a PostgreSQL JDBC URL, got " + jdbcUrl);
            }
            user = user == null ? "" : user;
            password = password == null ? "" : password;
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema must be a lower-case SQL identifier, got " + schema);
            }
        }

        /** Schema {@code baseline}, twice as many workers as CPUs (as the seed design). */
        public static Config defaults(String jdbcUrl, String user, String password) {
            return new Config(jdbcUrl, user, password, "baseline", 2 * Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * @param documents documents loaded
     * @param rows      rows inserted, all tables
     * @param elapsed   wall time of the load (transforms included, connecting and schema creation not)
     */
    public record Result(int documents, long rows, Duration elapsed) {

        public double rowsPerSecond() {
            return rows / Math.max(elapsed.toNanos() / 1e9, 1e-9);
        }
    }

    private final Config config;

    public DirectBaseline(Config config) {
        this.config = config;
    }

    /** Drops and re-creates the baseline schema with empty tables (outside the timed run). */
    public void prepare() throws SQLException {
        try (Connection c = connect()) {
            EtlSchema.recreate(c, config.schema());
        }
    }

    /** Loads bundles that are already flattened. */
    public Result run(List<UserRows> bundles) throws SQLException {
        return run(bundles, Function.identity());
    }

    /** Transforms and loads {@code documents} into the (prepared) baseline schema. */
    public <D> Result run(List<D> documents, Function<D, UserRows> transform) throws SQLException {
        List<Connection> opened = new ArrayList<>();
        BlockingQueue<Connection> connections = new ArrayBlockingQueue<>(config.workers());
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.workers(), task -> {
            Thread t = new Thread(task, THREAD_PREFIX + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < config.workers(); i++) {
                opened.add(connect());
                connections.add(opened.getLast());
            }
            long start = System.nanoTime();
            List<Future<Long>> chunks = new ArrayList<>();
            for (int from = 0; from < documents.size(); from += BATCH_SIZE) {
                List<D> chunk = documents.subList(from, Math.min(from + BATCH_SIZE, documents.size()));
                chunks.add(pool.submit(() -> {
                    Connection c = connections.take();
                    try {
                        return load(c, chunk.stream().map(transform).toList());
                    } finally {
                        connections.add(c);
                    }
                }));
            }
            long rows = 0;
            for (Future<Long> chunk : chunks) rows += await(chunk);
            return new Result(documents.size(), rows, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pool.shutdownNow();
            for (Connection c : opened) closeQuietly(c);
        }
    }

    /** One chunk, one transaction: every table in dependency order, JDBC batches of {@value #BATCH_SIZE}. */
    private long load(Connection c, List<UserRows> bundles) throws SQLException {
        try {
            long rows = 0;
            for (EtlTable<?> table : EtlTables.PARENTS_FIRST) rows += insert(c, table, bundles);
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private <R> long insert(Connection c, EtlTable<R> table, List<UserRows> bundles) throws SQLException {
        long rows = 0;
        int pending = 0;
        try (PreparedStatement ps = c.prepareStatement(table.insertSql(config.schema()))) {
            for (UserRows bundle : bundles) {
                if (bundle.getDeleted()) continue;
                for (R row : table.rows().apply(bundle)) {
                    int index = 1;
                    for (Column<R> column : table.columns()) column.bind(ps, index++, row);
                    ps.addBatch();
                    rows++;
                    if (++pending == BATCH_SIZE) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) ps.executeBatch();
        }
        return rows;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!config.user().isEmpty()) props.setProperty("user", config.user());
        if (!config.password().isEmpty()) props.setProperty("password", config.password());
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", APPLICATION_NAME);
        Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
        c.setAutoCommit(false);
        return c;
    }

    private static long await(Future<Long> chunk) throws SQLException {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the baseline ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("a baseline chunk failed", e.getCause());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Nothing to do about a connection that will not close; the run's result stands.
        }
    }
}
