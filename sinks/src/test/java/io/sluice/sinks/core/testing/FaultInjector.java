package io.sluice.sinks.core.testing;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Wraps a sink's {@link DataSource} and fails one chosen point of one batch transaction, once, with
 * SQLState 08006 (connection failure: the sink retries). It reads the statements of the sink in the
 * order they run, on whichever connection: a statement touching {@code sluice_offsets} is the offsets',
 * any other is the writer's. Then, from the moment the fault fired, the next connection the sink asks
 * for waits until {@link #release()}, so a test can look at PostgreSQL between the failed attempt and
 * the retry.
 *
 * <p>A statement run through a connection the writer unwrapped (COPY) is not seen, but the writer's
 * statements around it are.
 */
public final class FaultInjector implements UnaryOperator<DataSource> {

    /** Where the batch transaction fails. */
    public enum Point {
        /** At the writer's first statement, after the offsets were locked: nothing was written yet. */
        BEFORE_ROWS,
        /** At the first offsets statement after the writer's statements: the one storing the next offsets. */
        BETWEEN_ROWS_AND_OFFSETS,
        /** At the commit after the offsets were stored; the commit never reaches the server. */
        AT_COMMIT
    }

    private static final String OFFSETS_TABLE = "sluice_offsets";

    private final Point point;
    private final String rowsProbe;
    private final CountDownLatch fired = new CountDownLatch(1);
    private final CountDownLatch faultedConnectionClosed = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private boolean offsetsSeen;
    private boolean rowsSeen;
    private boolean offsetsAfterRowsSeen;
    private Object faultedConnection;
    private volatile long rowsAtFault = -1;

    /**
     * @param rowsProbe a query giving one number, the rows written so far, run inside the failing
     *                  transaction just before it fails: what the transaction held at that moment
     */
    public FaultInjector(Point point, String rowsProbe) {
        this.point = point;
        this.rowsProbe = rowsProbe;
    }

    @Override
    public DataSource apply(DataSource pool) {
        return proxy(DataSource.class, (p, m, args) -> {
            if (m.getName().equals("getConnection")) {
                if (fired.getCount() == 0) awaitRelease();
                Connection c = (Connection) invoke(pool, m, args);
                return proxy(Connection.class, new Tracked(c));
            }
            return invoke(pool, m, args);
        });
    }

    /** Waits until the fault fired and the transaction it failed was rolled back and its connection returned. */
    public void awaitFaultedAndClosed(Duration timeout) throws InterruptedException {
        if (!fired.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the fault at " + point + " never fired within " + timeout);
        }
        if (!faultedConnectionClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the connection of the failed transaction was not closed within " + timeout);
        }
    }

    /** Lets the sink connect again: its retry goes ahead. */
    public void release() {
        released.countDown();
    }

    /** The probe's count inside the failed transaction, just before the fault; empty before it fired. */
    public OptionalLong rowsAtFault() {
        return fired.getCount() == 0 ? OptionalLong.of(rowsAtFault) : OptionalLong.empty();
    }

    private void awaitRelease() throws InterruptedException {
        if (!released.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the test never released the sink");
    }

    /** Called before each statement runs: throws if it is the chosen one. */
    private synchronized void beforeStatement(Connection c, String sql) throws SQLException {
        boolean offsets = sql.contains(OFFSETS_TABLE);
        if (fired.getCount() > 0) {
            if (point == Point.BEFORE_ROWS && !offsets && offsetsSeen) fail(c, "before the writer's first statement");
            if (point == Point.BETWEEN_ROWS_AND_OFFSETS && offsets && rowsSeen) fail(c, "before the offsets statement");
        }
        if (offsets) {
            offsetsSeen = true;
            if (rowsSeen) offsetsAfterRowsSeen = true;
        } else if (offsetsSeen) {
            rowsSeen = true;
        }
    }

    private synchronized void beforeCommit(Connection c) throws SQLException {
        if (fired.getCount() > 0 && point == Point.AT_COMMIT && offsetsAfterRowsSeen) fail(c, "at the commit");
    }

    private void fail(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(rowsProbe)) {
            rs.next();
            rowsAtFault = rs.getLong(1);
        }
        faultedConnection = c;
        fired.countDown();
        throw new SQLException("injected: connection lost " + where, "08006");
    }

    private synchronized void closed(Connection c) {
        if (c == faultedConnection) faultedConnectionClosed.countDown();
    }

    /** A connection whose statements and commits pass through {@link #beforeStatement} and {@link #beforeCommit}. */
    private final class Tracked implements InvocationHandler {
        private final Connection c;

        Tracked(Connection c) {
            this.c = c;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "commit" -> beforeCommit(c);
                case "close" -> {
                    try {
                        return FaultInjector.invoke(c, m, args);
                    } finally {
                        closed(c);
                    }
                }
                default -> { }
            }
            Object result = FaultInjector.invoke(c, m, args);
            return switch (result) {
                case CallableStatement cs -> proxy(CallableStatement.class, new Statements(c, cs, (String) args[0]));
                case PreparedStatement ps -> proxy(PreparedStatement.class, new Statements(c, ps, (String) args[0]));
                case Statement st -> proxy(Statement.class, new Statements(c, st, null));
                case null, default -> result;
            };
        }
    }

    /** A statement: prepared with its SQL, or plain and given it at execute or addBatch. */
    private final class Statements implements InvocationHandler {
        private final Connection c;
        private final Statement statement;
        private String sql;

        Statements(Connection c, Statement statement, String sql) {
            this.c = c;
            this.statement = statement;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("addBatch") && args != null && args.length == 1 && args[0] instanceof String s) {
                sql = sql == null ? s : sql + ";" + s;
            } else if (name.startsWith("execute")) {
                beforeStatement(c, args != null && args.length > 0 && args[0] instanceof String s ? s : String.valueOf(sql));
            }
            return FaultInjector.invoke(statement, m, args);
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(FaultInjector.class.getClassLoader(), new Class<?>[]{type}, handler));
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
