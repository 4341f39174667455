package io.sluice.sinks.etl.pgcopy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte-exact checks of the binary COPY encoding, against the format in PostgreSQL's COPY documentation. */
class PgCopyBinaryWriterTest {

    private static final String SIGNATURE = "5047434f50590aff0d0a00"; // PGCOPY\n\377\r\n\0
    private static final String HEADER = SIGNATURE + "00000000" + "00000000"; // flags, extension length
    private static final String TRAILER = "ffff";

    @Test
    void anEmptyCopyIsTheHeaderAndTheTrailer() throws SQLException {
        assertThat(hex(out -> { })).isEqualTo(HEADER + TRAILER);
    }

    @Test
    void int8Int4BoolAndNullHaveTheirLengthThenBigEndianValues() throws SQLException {
        assertThat(field(out -> out.int8(0x0102030405060708L))).isEqualTo("00000008" + "0102030405060708");
        assertThat(field(out -> out.int8(-1))).isEqualTo("00000008" + "ffffffffffffffff");
        assertThat(field(out -> out.int4(-2))).isEqualTo("00000004" + "fffffffe");
        assertThat(field(out -> out.bool(true))).isEqualTo("00000001" + "01");
        assertThat(field(out -> out.bool(false))).isEqualTo("00000001" + "00");
        assertThat(field(PgCopyBinaryWriter::nullValue)).isEqualTo("ffffffff");
    }

    @Test
    void float8IsTheIeeeBits() throws SQLException {
        assertThat(field(out -> out.float8(1.5))).isEqualTo("00000008" + "3ff8000000000000");
        assertThat(field(out -> out.float8(-0.0))).isEqualTo("00000008" + "8000000000000000");
        assertThat(field(out -> out.float8(Double.NaN))).isEqualTo("00000008" + "7ff8000000000000");
    }

    @Test
    void textIsUtf8AndNullReferencesAreSqlNull() throws SQLException {
        assertThat(field(out -> out.text("hé"))).isEqualTo("00000003" + "68c3a9");
        assertThat(field(out -> out.text(""))).isEqualTo("00000000");
        assertThat(field(out -> out.text("\uD83D\uDE80"))).isEqualTo("00000004" + "f09f9a80"); // a surrogate pair
        assertThat(field(out -> out.text(null))).isEqualTo("ffffffff");
        assertThat(field(out -> out.jsonb(null))).isEqualTo("ffffffff");
        assertThat(field(out -> out.timestamptz(null))).isEqualTo("ffffffff");
        assertThat(field(out -> out.date(null))).isEqualTo("ffffffff");
        assertThat(field(out -> out.numeric((String) null))).isEqualTo("ffffffff");
    }

    @Test
    void jsonbIsVersionOneThenTheText() throws SQLException {
        assertThat(field(out -> out.jsonb("[1]"))).isEqualTo("00000004" + "01" + "5b315d");
    }

    @Test
    void timestamptzIsMicrosecondsSince2000() throws SQLException {
        assertThat(field(out -> out.timestamptz(Instant.parse("2000-01-01T00:00:00Z")))).isEqualTo("00000008" + "0000000000000000");
        assertThat(field(out -> out.timestamptz(Instant.parse("2000-01-01T00:00:01.000002Z"))))
                .isEqualTo("00000008" + long8(1_000_002L));
        assertThat(field(out -> out.timestamptz(Instant.parse("1999-12-31T23:59:59.999999Z")))).isEqualTo("00000008" + long8(-1L));
        // Nanoseconds below a microsecond are dropped, towards the past.
        assertThat(field(out -> out.timestamptz(Instant.parse("1970-01-01T00:00:00.000000999Z"))))
                .isEqualTo("00000008" + long8(-946_684_800_000_000L));
    }

    @Test
    void dateIsDaysSince2000() throws SQLException {
        assertThat(field(out -> out.date(LocalDate.of(2000, 1, 1)))).isEqualTo("00000004" + "00000000");
        assertThat(field(out -> out.date(LocalDate.of(2000, 1, 2)))).isEqualTo("00000004" + "00000001");
        assertThat(field(out -> out.date(LocalDate.of(1999, 12, 31)))).isEqualTo("00000004" + "ffffffff");
    }

    @Test
    void numericIsTheBinaryNumericFieldWithItsLength() throws SQLException {
        // 1234.50: 2 digits (1234, 5000), weight 0, positive, dscale 2
        assertThat(field(out -> out.numeric("1234.50"))).isEqualTo("0000000c" + "0002" + "0000" + "0000" + "0002" + "04d2" + "1388");
        assertThat(field(out -> out.numeric(new BigDecimal("-7")))).isEqualTo("0000000a" + "0001" + "0000" + "4000" + "0000" + "0007");
    }

    @Test
    void eachTupleStartsWithItsFieldCount() throws SQLException {
        String hex = hex(out -> {
            out.startRow(2).int4(1).text("a");
            out.startRow(1).nullValue();
        });
        assertThat(hex).isEqualTo(HEADER + "0002" + "00000004" + "00000001" + "00000001" + "61" + "0001" + "ffffffff" + TRAILER);
    }

    @Test
    void refusesRowsWithMoreOrFewerFieldsThanDeclared() {
        assertThatThrownBy(() -> hex(out -> out.startRow(1).int4(1).int4(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more fields");
        assertThatThrownBy(() -> hex(out -> out.startRow(2).int4(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fewer");
        assertThatThrownBy(() -> hex(out -> out.startRow(2).int4(1).startRow(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fewer");
    }

    @Test
    void handsTheStreamOverInChunksAtRowBoundariesWithTheSameBytes() throws SQLException {
        PgCopyBinaryWriter.Rows rows = out -> {
            for (int i = 0; i < 1_000; i++) out.startRow(2).int8(i).text("row " + i + " " + "x".repeat(i % 50));
        };
        List<Integer> chunkSizes = new ArrayList<>();
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        long count = new PgCopyBinaryWriter(1_000).encode((b, off, len) -> {
            chunkSizes.add(len);
            chunked.write(b, off, len);
        }, rows);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        new PgCopyBinaryWriter(1 << 24).encode(whole::write, rows);

        assertThat(count).isEqualTo(1_000);
        assertThat(chunked.toByteArray()).isEqualTo(whole.toByteArray());
        // Every chunk but the last (the rest and the trailer) is the threshold plus at most one row.
        assertThat(chunkSizes).hasSizeGreaterThan(20);
        assertThat(chunkSizes.subList(0, chunkSizes.size() - 1)).allSatisfy(len -> assertThat(len).isBetween(1_000, 1_100));
    }

    @Test
    void aReusedWriterStartsEachCopyAfresh() throws SQLException {
        PgCopyBinaryWriter writer = new PgCopyBinaryWriter(16);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        writer.encode(first::write, out -> out.startRow(1).text("a".repeat(100)));
        assertThatThrownBy(() -> writer.encode((b, o, l) -> { }, out -> out.startRow(2).int4(1)))
                .isInstanceOf(IllegalStateException.class);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        writer.encode(second::write, out -> out.startRow(1).text("a".repeat(100)));
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void fieldsOutsideACopyAreRefused() {
        assertThatThrownBy(() -> new PgCopyBinaryWriter().startRow(1)).isInstanceOf(IllegalStateException.class);
    }

    private static String field(PgCopyBinaryWriter.Rows oneField) throws SQLException {
        String hex = hex(out -> {
            out.startRow(1);
            oneField.writeTo(out);
        });
        assertThat(hex).startsWith(HEADER + "0001").endsWith(TRAILER);
        return hex.substring(HEADER.length() + 4, hex.length() - TRAILER.length());
    }

    private static String hex(PgCopyBinaryWriter.Rows rows) throws SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PgCopyBinaryWriter().encode(bytes::write, rows);
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static String long8(long v) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(v).array());
    }
}
