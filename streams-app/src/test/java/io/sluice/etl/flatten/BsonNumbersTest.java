package io.sluice.etl.flatten;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BsonNumbersTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "1e-7, 0.0000001",
            "0.1, 0.1",
            "-0.0, 0",
            "0.0, 0",
            "1e21, 1000000000000000000000",
            "100.0, 100",
            "1234.5, 1234.5",
            "-2.5e-3, -0.0025",
            "0.30000000000000004, 0.30000000000000004",
            "1e300, 1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    })
    void aDoubleIsWrittenInItsShortestPlainDecimalForm(double value, String text) {
        assertThat(BsonNumbers.shortestDecimal(value)).isEqualTo(text);
    }

    @Test
    void theExtremeDoublesKeepAllTheirDigits() {
        assertThat(BsonNumbers.shortestDecimal(Double.MAX_VALUE)).isEqualTo("17976931348623157" + "0".repeat(292));
        assertThat(BsonNumbers.shortestDecimal(Double.MIN_VALUE)).isEqualTo("0." + "0".repeat(323) + "49");
        assertThat(BsonNumbers.shortestDecimal(-Double.MIN_NORMAL)).startsWith("-0.000").endsWith("22250738585072014");
    }

    @Test
    void nanAndInfinitiesHaveNoDecimalForm() {
        for (double d : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> BsonNumbers.shortestDecimal(d)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a finite number");
        }
    }

    @Property(tries = 300)
    void theWrittenTextReadsBackAsTheSameDoubleWithoutTrailingZeros(@ForAll("finiteDoubles") double d) {
        String text = BsonNumbers.shortestDecimal(d);
        assertThat(Double.parseDouble(text)).isEqualTo(d == 0 ? 0.0 : d);
        assertThat(text).doesNotContain("E", "e").doesNotEndWith(".");
        if (text.contains(".")) assertThat(text).doesNotEndWith("0");
        // shortest: as many significant digits as Double.toString's shortest representation, no more
        assertThat(new BigDecimal(text).stripTrailingZeros().precision())
                .isEqualTo(new BigDecimal(Double.toString(d)).stripTrailingZeros().precision());
    }

    @Provide
    Arbitrary<Double> finiteDoubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().withSpecialValue(-0.0).withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE).withSpecialValue(1e-7).withSpecialValue(0.1),
                // the whole exponent range, not only doubles near 1
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"-0, 0", "-0.00, 0.00", "-0E+10, 0E+10", "-1.50, -1.50", "1.50, 1.50", "0, 0"})
    void aDecimal128NegativeZeroBecomesZeroWithItsScale(String decimal, String expected) {
        BigDecimal value = BsonNumbers.bigDecimal(Decimal128.parse(decimal));
        assertThat(value).isEqualTo(new BigDecimal(expected)); // equals compares the scale too
    }

    @Test
    void decimal128NanAndInfinitiesAreRefusedClearly() {
        for (String d : new String[]{"NaN", "Infinity", "-Infinity", "-NaN"}) {
            assertThatThrownBy(() -> BsonNumbers.bigDecimal(Decimal128.parse(d))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a finite decimal");
        }
    }
}
