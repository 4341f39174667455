package io.sluice.etl.flatten;

import org.bson.types.Decimal128;

import java.math.BigDecimal;

/**
 * Exact conversions of BSON numbers for the rows: a finite Decimal128 to a {@link BigDecimal} (negative
 * zero included), a double to its shortest decimal text. Never throws for a finite value.
 */
final class BsonNumbers {

    private BsonNumbers() {
    }

    /**
     * The value of a finite Decimal128, {@code -0.00} as {@code 0.00} (same scale): {@link BigDecimal} has no
     * negative zero, and {@link Decimal128#bigDecimalValue()} throws for one instead of dropping the sign.
     *
     * @throws IllegalArgumentException for NaN or an infinity, which no BigDecimal holds
     */
    static BigDecimal bigDecimal(Decimal128 d) {
        if (d.isNaN() || d.isInfinite()) throw new IllegalArgumentException(d + " is not a finite decimal");
        // Decimal128's text is exact scientific notation; BigDecimal reads it with the same unscaled value and scale.
        return d.isNegative() ? new BigDecimal(d.toString()) : d.bigDecimalValue();
    }

    /**
     * A finite double as the shortest plain decimal text that reads back as the same double
     * ({@link Double#toString}'s digits, JDK 19+), without trailing zeros or exponent: {@code 1e-7} is
     * {@code 0.0000001}, {@code 100.0} is {@code 100}, and {@code -0.0} is {@code 0} (a NUMERIC has no negative zero).
     *
     * @throws IllegalArgumentException for NaN or an infinity
     */
    static String shortestDecimal(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException(d + " is not a finite number");
        if (d == 0) return "0";
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
