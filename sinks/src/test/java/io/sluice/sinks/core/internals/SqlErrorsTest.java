package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.internals.SqlErrors.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "08006, TRANSIENT",  // connection failure (I/O error)
            "08003, TRANSIENT",  // connection does not exist
            "08001, TRANSIENT",  // unable to connect
            "40001, TRANSIENT",  // serialization failure
            "40P01, TRANSIENT",  // deadlock
            "57P01, TRANSIENT",  // admin shutdown (pg_terminate_backend)
            "57P02, TRANSIENT",  // crash shutdown
            "57P03, TRANSIENT",  // cannot connect now (starting up)
            "57014, TRANSIENT",  // query canceled
            "53300, TRANSIENT",  // too many connections
            "53100, TRANSIENT",  // disk full
            "55P03, TRANSIENT",  // lock not available
            "22001, RECORD",     // string too long
            "22P02, RECORD",     // invalid text representation
            "23505, RECORD",     // unique violation
            "23514, RECORD",     // check violation
            "23502, RECORD",     // not null violation
            "40002, RECORD",     // deferred constraint at commit
            "P0001, RECORD",     // raise exception in a trigger
            "42P01, FATAL",      // undefined table
            "42601, FATAL",      // syntax error
            "42501, FATAL",      // insufficient privilege
            "28P01, FATAL",      // bad password
            "3D000, FATAL",      // database does not exist
            "3F000, FATAL",      // schema does not exist
            "25P02, FATAL",      // in failed transaction: the writer swallowed an error
            "57P04, FATAL",      // database dropped
            "XX000, FATAL",      // internal error
    })
    void classifiesSqlStates(String state, Kind expected) {
        assertThat(SqlErrors.classify(new SQLException("x", state))).isEqualTo(expected);
    }

    @Test
    void anExceptionWithoutStateIsTheRecordsFault() {
        assertThat(SqlErrors.classify(new SQLException("rejected by the writer"))).isEqualTo(Kind.RECORD);
        assertThat(SqlErrors.classifyState("bad")).isEqualTo(Kind.RECORD);
    }

    @Test
    void aTransientLinkAnywhereInTheChainMakesItTransient() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, new int[0]);
        batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
        assertThat(SqlErrors.classify(batch)).isEqualTo(Kind.TRANSIENT);

        SQLException ioFailure = new SQLException("An I/O error occurred", (String) null, new SocketException("reset"));
        assertThat(SqlErrors.classify(ioFailure)).isEqualTo(Kind.TRANSIENT);
        assertThat(SqlErrors.classify(new SQLException("x", null, new EOFException()))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void poolTimeoutsAreTransientEvenWithoutState() {
        // HikariCP's "Connection is not available, request timed out" while PostgreSQL is down.
        assertThat(SqlErrors.classify(new SQLTransientConnectionException("pool timeout"))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void theFirstStateDecidesWhenNothingIsTransient() {
        SQLException top = new SQLException("batch failed", "23505");
        top.setNextException(new SQLException("undefined column", "42703"));
        assertThat(SqlErrors.classify(top)).isEqualTo(Kind.RECORD);
    }

    @Test
    void survivesCyclicChains() {
        SQLException a = new SQLException("a", "23505");
        SQLException b = new SQLException("b", "22001");
        a.setNextException(b);
        b.setNextException(a);
        assertThat(SqlErrors.classify(a)).isEqualTo(Kind.RECORD);
    }

    @Test
    void reportsTheServersErrorOfABatch() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "23514", new int[0]);
        SQLException server = new SQLException("new row violates check constraint", "23514");
        batch.setNextException(server);
        assertThat(SqlErrors.mostSpecific(batch)).isSameAs(server);
        IllegalStateException other = new IllegalStateException();
        assertThat(SqlErrors.mostSpecific(other)).isSameAs(other);
    }
}
