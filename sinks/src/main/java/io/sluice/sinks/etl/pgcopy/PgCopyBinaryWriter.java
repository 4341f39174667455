package io.sluice.sinks.etl.pgcopy;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Encodes rows in PostgreSQL's binary {@code COPY} format and streams them to the server.
 *
 * <p>Consumes rows through its field methods, one {@link #startRow(int)} then exactly that many fields;
 * produces the signature, header, tuples and trailer of {@code COPY ... FROM STDIN (FORMAT BINARY)}, in
 * chunks of about {@code flushBytes} so the server inserts while the next chunk is encoded. Each field is
 * its byte length and PostgreSQL's {@code *_send} representation of the value (the server checks every
 * value as its {@code *_recv} function reads it), or length -1 for NULL; a null reference writes NULL.
 *
 * <p>Guarantees: a COPY that fails (server error, or an exception thrown by the rows) is cancelled, so
 * the connection stays usable after a rollback to a savepoint. Not thread-safe; the buffer is reused
 * across copies.
 */
public final class PgCopyBinaryWriter {

    /** Where encoded bytes go: the COPY, or a test's buffer. */
    @FunctionalInterface
    public interface Output {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** Writes the rows of one COPY. */
    @FunctionalInterface
    public interface Rows {
        void writeTo(PgCopyBinaryWriter out) throws SQLException;
    }

    /** {@code PGCOPY\n\377\r\n\0}, then flags and header-extension length, both 0. */
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final int DEFAULT_FLUSH_BYTES = 64 * 1024;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps and dates. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final long PG_EPOCH_DAYS = 10_957L;

    private final int flushBytes;
    private byte[] buf;
    private int pos;
    private Output output;
    private long rows;
    private int fieldsLeft;

    public PgCopyBinaryWriter() {
        this(DEFAULT_FLUSH_BYTES);
    }

    /** @param flushBytes hand a chunk to the output once this many bytes are buffered (at a row boundary) */
    public PgCopyBinaryWriter(int flushBytes) {
        if (flushBytes < 1) throw new IllegalArgumentException("flushBytes must be >= 1, got " + flushBytes);
        this.flushBytes = flushBytes;
        this.buf = new byte[Math.max(flushBytes + flushBytes / 2, 1024)];
    }

    /**
     * Runs {@code copySql} ({@code COPY <table> (<columns>) FROM STDIN (FORMAT BINARY)}) on {@code connection}
     * (a pool's proxy is unwrapped) with the given rows.
     *
     * @return the number of rows the server reports copied
     */
    public long copyIn(Connection connection, String copySql, Rows rowsToWrite) throws SQLException {
        return copyIn(connection.unwrap(PGConnection.class).getCopyAPI(), copySql, rowsToWrite);
    }

    public long copyIn(CopyManager copyApi, String copySql, Rows rowsToWrite) throws SQLException {
        CopyIn copy = copyApi.copyIn(copySql);
        try {
            encode(copy::writeToCopy, rowsToWrite);
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancel(copy, e);
            throw e;
        }
    }

    /** Encodes a whole COPY stream (header, rows, trailer) to {@code out}; returns the number of rows. */
    public long encode(Output out, Rows rowsToWrite) throws SQLException {
        this.output = out;
        this.pos = 0;
        this.rows = 0;
        this.fieldsLeft = 0;
        try {
            put(HEADER);
            rowsToWrite.writeTo(this);
            endRow();
            ensure(2);
            SHORT.set(buf, pos, (short) -1); // the trailer: a tuple with -1 fields
            pos += 2;
            flush();
            return rows;
        } finally {
            this.output = null;
        }
    }

    /** Begins a tuple of {@code fields} fields; hands the buffer to the output first if it is full enough. */
    public PgCopyBinaryWriter startRow(int fields) throws SQLException {
        if (output == null) throw new IllegalStateException("startRow outside encode/copyIn");
        endRow();
        if (pos >= flushBytes) flush();
        ensure(2);
        SHORT.set(buf, pos, (short) fields);
        pos += 2;
        fieldsLeft = fields;
        rows++;
        return this;
    }

    public PgCopyBinaryWriter nullValue() {
        field(0);
        INT.set(buf, pos, -1);
        pos += 4;
        return this;
    }

    public PgCopyBinaryWriter int8(long value) {
        field(8);
        INT.set(buf, pos, 8);
        LONG.set(buf, pos + 4, value);
        pos += 12;
        return this;
    }

    public PgCopyBinaryWriter int4(int value) {
        field(4);
        INT.set(buf, pos, 4);
        INT.set(buf, pos + 4, value);
        pos += 8;
        return this;
    }

    public PgCopyBinaryWriter bool(boolean value) {
        field(1);
        INT.set(buf, pos, 1);
        buf[pos + 4] = (byte) (value ? 1 : 0);
        pos += 5;
        return this;
    }

    public PgCopyBinaryWriter float8(double value) {
        field(8);
        INT.set(buf, pos, 8);
        LONG.set(buf, pos + 4, Double.doubleToLongBits(value));
        pos += 12;
        return this;
    }

    /** UTF-8 text; also right for varchar, and for any type whose binary form is its text (e.g. name). */
    public PgCopyBinaryWriter text(String value) {
        if (value == null) return nullValue();
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** jsonb's binary form: a version byte (1), then the JSON text; the server parses and normalizes it. */
    public PgCopyBinaryWriter jsonb(String json) {
        if (json == null) return nullValue();
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        field(5 + text.length);
        INT.set(buf, pos, 1 + text.length);
        buf[pos + 4] = 1;
        System.arraycopy(text, 0, buf, pos + 5, text.length);
        pos += 5 + text.length;
        return this;
    }

    /** Microseconds since 2000-01-01T00:00Z; sub-microsecond digits are dropped (PostgreSQL keeps micros). */
    public PgCopyBinaryWriter timestamptz(Instant value) {
        if (value == null) return nullValue();
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L),
                value.getNano() / 1_000);
        return int8(micros);
    }

    /** Days since 2000-01-01. */
    public PgCopyBinaryWriter date(LocalDate value) {
        if (value == null) return nullValue();
        return int4(Math.toIntExact(value.toEpochDay() - PG_EPOCH_DAYS));
    }

    /** Decimal text (see {@link PgNumeric#encode(String)}); {@link NumberFormatException} when it is not one. */
    public PgCopyBinaryWriter numeric(String decimal) {
        if (decimal == null) return nullValue();
        return bytes(PgNumeric.encode(decimal));
    }

    public PgCopyBinaryWriter numeric(BigDecimal value) {
        if (value == null) return nullValue();
        return bytes(PgNumeric.encode(value));
    }

    /** A field already in the type's binary form ({@code bytea} as is). */
    public PgCopyBinaryWriter bytes(byte[] value) {
        if (value == null) return nullValue();
        field(value.length);
        INT.set(buf, pos, value.length);
        System.arraycopy(value, 0, buf, pos + 4, value.length);
        pos += 4 + value.length;
        return this;
    }

    /** Counts the field against its row and makes room for its length word and {@code size} bytes. */
    private void field(int size) {
        if (fieldsLeft <= 0) throw new IllegalStateException("more fields than startRow declared (row " + rows + ")");
        fieldsLeft--;
        ensure(4 + size);
    }

    private void endRow() {
        if (fieldsLeft != 0) {
            throw new IllegalStateException("row " + rows + " has " + fieldsLeft + " fields fewer than startRow declared");
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }

    private void flush() throws SQLException {
        if (pos == 0) return;
        output.write(buf, 0, pos);
        pos = 0;
    }

    private static void cancel(CopyIn copy, Exception cause) {
        if (!copy.isActive()) return;
        try {
            copy.cancelCopy();
        } catch (SQLException e) {
            // The server answers a cancel with an error; the original failure is the one to report.
            cause.addSuppressed(e);
        }
    }
}
