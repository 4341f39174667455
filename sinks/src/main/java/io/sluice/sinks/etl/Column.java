package io.sluice.sinks.etl;

import io.sluice.sinks.etl.pgcopy.PgCopyBinaryWriter;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * One column of an ETL table and how a row record fills it, both ways the ETL tables are written: a
 * binary COPY field (the sink) and a JDBC parameter (the direct baseline). A null value is SQL NULL.
 *
 * @param name  the column name, as in {@code V2__etl_tables.sql}
 * @param type  its PostgreSQL type
 * @param value reads the column's value from a row record; its Java type is the one {@code type} names
 */
public record Column<R>(String name, Type type, Function<R, ?> value) {

    /** The PostgreSQL types of the ETL tables, with their {@code information_schema} names. */
    public enum Type {
        INT8("bigint", Types.BIGINT),
        INT4("integer", Types.INTEGER),
        TEXT("text", Types.VARCHAR),
        BOOL("boolean", Types.BOOLEAN),
        TIMESTAMPTZ("timestamp with time zone", Types.TIMESTAMP_WITH_TIMEZONE),
        DATE("date", Types.DATE),
        NUMERIC("numeric", Types.NUMERIC),
        JSONB("jsonb", Types.OTHER);

        private final String sqlName;
        private final int jdbcType;

        Type(String sqlName, int jdbcType) {
            this.sqlName = sqlName;
            this.jdbcType = jdbcType;
        }

        /** As {@code information_schema.columns.data_type} shows it. */
        public String sqlName() {
            return sqlName;
        }
    }

    public static <R> Column<R> int8(String name, Function<R, Long> value) {
        return new Column<>(name, Type.INT8, value);
    }

    public static <R> Column<R> int4(String name, Function<R, Integer> value) {
        return new Column<>(name, Type.INT4, value);
    }

    public static <R> Column<R> text(String name, Function<R, String> value) {
        return new Column<>(name, Type.TEXT, value);
    }

    public static <R> Column<R> bool(String name, Function<R, Boolean> value) {
        return new Column<>(name, Type.BOOL, value);
    }

    public static <R> Column<R> timestamptz(String name, Function<R, Instant> value) {
        return new Column<>(name, Type.TIMESTAMPTZ, value);
    }

    public static <R> Column<R> date(String name, Function<R, LocalDate> value) {
        return new Column<>(name, Type.DATE, value);
    }

    /** Decimal text into numeric, exactly (no binary floating point on the way). */
    public static <R> Column<R> numeric(String name, Function<R, String> value) {
        return new Column<>(name, Type.NUMERIC, value);
    }

    /** JSON text into jsonb; the server validates and normalizes it. */
    public static <R> Column<R> jsonb(String name, Function<R, String> value) {
        return new Column<>(name, Type.JSONB, value);
    }

    /** The name as an SQL identifier: quoted, since some ({@code timestamp}) are keywords. */
    public String quotedName() {
        return '"' + name + '"';
    }

    /** Writes this column of {@code row} as the next field of the current COPY tuple. */
    public void encode(R row, PgCopyBinaryWriter out) {
        Object v = value.apply(row);
        if (v == null) {
            out.nullValue();
            return;
        }
        switch (type) {
            case INT8 -> out.int8((Long) v);
            case INT4 -> out.int4((Integer) v);
            case TEXT -> out.text((String) v);
            case BOOL -> out.bool((Boolean) v);
            case TIMESTAMPTZ -> out.timestamptz((Instant) v);
            case DATE -> out.date((LocalDate) v);
            case NUMERIC -> out.numeric((String) v);
            case JSONB -> out.jsonb((String) v);
        }
    }

    /** Binds this column of {@code row} as parameter {@code index} of an INSERT. */
    public void bind(PreparedStatement ps, int index, R row) throws SQLException {
        Object v = value.apply(row);
        if (v == null) {
            // Typed nulls, so that pgjdbc keeps one server-side statement for the whole batch.
            ps.setNull(index, type.jdbcType);
            return;
        }
        switch (type) {
            case INT8 -> ps.setLong(index, (Long) v);
            case INT4 -> ps.setInt(index, (Integer) v);
            case TEXT -> ps.setString(index, (String) v);
            case BOOL -> ps.setBoolean(index, (Boolean) v);
            case TIMESTAMPTZ -> ps.setObject(index, OffsetDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
            case DATE -> ps.setObject(index, v);
            case NUMERIC -> ps.setBigDecimal(index, new BigDecimal((String) v));
            // Sent untyped, so the server parses the text as the column's jsonb.
            case JSONB -> ps.setObject(index, v, Types.OTHER);
        }
    }
}
