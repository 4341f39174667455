package io.sluice.sinks.core.internals;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Reads a PostgreSQL failure as one of three decisions: retry the batch later, blame the record, or stop.
 * SQLStates are PostgreSQL's (Appendix A of its manual).
 */
public final class SqlErrors {

    /** What the sink does about a failure. */
    public enum Kind {
        /** The server or the connection failed, not the data: roll back, back off, retry the same batch. */
        TRANSIENT,
        /** The data was refused (a constraint, a bad value): isolate the record and dead-letter it. */
        RECORD,
        /** The statement or the setup is wrong (missing table, syntax, privileges): every record would fail. */
        FATAL
    }

    private SqlErrors() {
    }

    /**
     * Looks at the whole chain (causes and {@link SQLException#getNextException()}, where pgjdbc puts the
     * real error of a batch): any transient link makes it transient, else the first SQLState decides.
     */
    public static Kind classify(SQLException e) {
        Kind first = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        todo.add(e);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) continue;
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof IOException) {
                return Kind.TRANSIENT;
            }
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null) {
                    Kind kind = classifyState(sql.getSQLState());
                    if (kind == Kind.TRANSIENT) return kind;
                    if (first == null) first = kind;
                }
                if (sql.getNextException() != null) todo.add(sql.getNextException());
            }
            if (t.getCause() != null) todo.add(t.getCause());
        }
        return first == null ? Kind.RECORD : first;
    }

    /**
     * The error worth reporting: pgjdbc's batch failure says "Batch entry 0 ... was aborted, call
     * getNextException", the next exception has the server's message (which constraint, which value).
     */
    public static Exception mostSpecific(Exception e) {
        if (e instanceof SQLException sql && sql.getNextException() != null) return sql.getNextException();
        return e;
    }

    /** One SQLState; {@code null} (a driver or writer error without one) counts as the record's fault. */
    public static Kind classifyState(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) return Kind.RECORD;
        String cls = sqlState.substring(0, 2);
        return switch (cls) {
            // connection exception; insufficient resources (disk full, too many connections); system I/O error
            case "08", "53", "58" -> Kind.TRANSIENT;
            // 40001 serialization failure, 40P01 deadlock, 40003 completion unknown; but 40002 is a
            // deferred constraint failing at commit: the data's fault, retrying would loop forever
            case "40" -> sqlState.equals("40002") ? Kind.RECORD : Kind.TRANSIENT;
            // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57P05 idle session
            // timeout, 57014 query canceled (statement_timeout, pg_cancel_backend); not 57P04 database dropped
            case "57" -> sqlState.equals("57P04") ? Kind.FATAL : Kind.TRANSIENT;
            // lock not available (lock_timeout, NOWAIT)
            case "55" -> sqlState.equals("55P03") ? Kind.TRANSIENT : Kind.FATAL;
            // feature not supported, invalid transaction state, bad statement name, authorization,
            // cursor, catalog, schema, syntax or access rule, config file, internal error
            case "0A", "25", "26", "28", "34", "3D", "3F", "42", "F0", "XX" -> Kind.FATAL;
            // 22 data exception, 23 integrity violation, 27 triggered data change, 44 check option,
            // P0 raised by PL/pgSQL, and whatever else: the record's fault
            default -> Kind.RECORD;
        };
    }
}
