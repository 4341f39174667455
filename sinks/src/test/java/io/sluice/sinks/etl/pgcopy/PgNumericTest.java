package io.sluice.sinks.etl.pgcopy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.ByteConverter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgNumericTest {

    /** ndigits, weight, sign, dscale, then the base-10000 digits, as numeric_send writes them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0,          0000 0000 0000 0000",
            "0.00,       0000 0000 0000 0002",
            "-0.000,     0000 0000 0000 0003",
            "7,          0001 0000 0000 0000 0007",
            "-7,         0001 0000 4000 0000 0007",
            "1234.50,    0002 0000 0000 0002 04d2 1388",
            "10000,      0001 0001 0000 0000 0001",
            "12345,      0002 0001 0000 0000 0001 0929",
            "0.0001,     0001 ffff 0000 0004 0001",
            "0.00001,    0001 fffe 0000 0005 03e8",
            "0.5,        0001 ffff 0000 0001 1388",
            "9999.9999,  0002 0000 0000 0004 270f 270f",
            "1E+3,       0001 0000 0000 0000 03e8",
            "1.0E-2,     0001 ffff 0000 0003 0064",
            "-100000000.00000001, 0005 0002 4000 0008 0001 0000 0000 0000 0001",
            "NaN,        0000 0000 c000 0000",
            "Infinity,   0000 0000 d000 0000",
            "-Infinity,  0000 0000 f000 0000",
    })
    void encodesAsNumericSendDoes(String text, String hex) {
        assertThat(HexFormat.of().formatHex(PgNumeric.encode(text))).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void agreesWithPgjdbcsEncoderOnRandomValues() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(200), random);
            if (random.nextBoolean()) unscaled = unscaled.negate();
            BigDecimal value = new BigDecimal(unscaled, random.nextInt(60));
            // pgjdbc gives zero weight -1 where PostgreSQL's numeric_send gives 0 (checked in PgCopyBinaryWriterIT).
            if (value.signum() == 0) continue;
            assertThat(PgNumeric.encode(value)).as("%s", value).isEqualTo(ByteConverter.numeric(value));
        }
    }

    @Test
    void refusesWhatIsNotANumber() {
        assertThatThrownBy(() -> PgNumeric.encode("12,50")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> PgNumeric.encode("")).isInstanceOf(NumberFormatException.class);
    }
}
