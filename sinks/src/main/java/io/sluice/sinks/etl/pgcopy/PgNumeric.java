package io.sluice.sinks.etl.pgcopy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * PostgreSQL's binary {@code numeric} format (what {@code numeric_send} writes and {@code numeric_recv}
 * reads): int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits base-10000 digits, most
 * significant first, the value being {@code sum(digit[i] * 10000^(weight - i))}.
 *
 * <p>Consumes a decimal value (a {@link BigDecimal}, or decimal text including {@code NaN},
 * {@code Infinity} and {@code -Infinity}); produces its bytes in the normal form PostgreSQL itself
 * sends: no leading or trailing zero digits, zero as no digits, dscale the number of decimal places
 * shown (so {@code 1234.50} stays {@code 1234.50}). Exact: no rounding ever happens here.
 */
public final class PgNumeric {

    private static final int NBASE_DIGITS = 4;
    private static final short SIGN_POS = 0x0000;
    private static final short SIGN_NEG = 0x4000;
    private static final short SIGN_NAN = (short) 0xC000;
    private static final short SIGN_PINF = (short) 0xD000;
    private static final short SIGN_NINF = (short) 0xF000;

    private PgNumeric() {
    }

    /**
     * Parses decimal text as PostgreSQL's numeric input would accept it from a JSON or CSV source:
     * plain or exponent notation, or the special values (case-insensitive, as PostgreSQL).
     *
     * @throws NumberFormatException when the text is not a number: the record's fault
     */
    public static byte[] encode(String text) {
        String t = text.strip();
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "nan" -> special(SIGN_NAN);
            case "infinity", "+infinity", "inf", "+inf" -> special(SIGN_PINF);
            case "-infinity", "-inf" -> special(SIGN_NINF);
            default -> encode(new BigDecimal(t));
        };
    }

    public static byte[] encode(BigDecimal value) {
        // A negative scale (1E+3) has no decimal places; PostgreSQL's dscale cannot be negative.
        BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
        int scale = v.scale();
        String digits = v.unscaledValue().abs().toString();
        int intDigits = digits.length() - scale; // may be zero or negative: 0.00012 has -3
        // Pad with zeros so that both the integer and the fraction part fill whole base-10000 digits;
        // the padded string then starts on a base-10000 digit boundary.
        int lead = Math.floorMod(-intDigits, NBASE_DIGITS);
        int trail = Math.floorMod(-scale, NBASE_DIGITS);
        int groups = (lead + digits.length() + trail) / NBASE_DIGITS;
        int weight = (lead + intDigits) / NBASE_DIGITS - 1;

        short[] nbase = new short[groups];
        for (int g = 0; g < groups; g++) {
            int d = 0;
            for (int k = 0; k < NBASE_DIGITS; k++) {
                int pos = g * NBASE_DIGITS + k - lead; // index into digits, outside it is padding
                d = d * 10 + (pos >= 0 && pos < digits.length() ? digits.charAt(pos) - '0' : 0);
            }
            nbase[g] = (short) d;
        }
        int first = 0;
        while (first < groups && nbase[first] == 0) first++;
        int last = groups;
        while (last > first && nbase[last - 1] == 0) last--;
        int ndigits = last - first;
        if (ndigits == 0) return header(0, 0, SIGN_POS, scale).array(); // zero, with its scale: 0.00
        weight -= first;
        if (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE || scale > Short.MAX_VALUE) {
            throw new NumberFormatException("numeric out of PostgreSQL's range: " + value);
        }
        ByteBuffer out = header(ndigits, weight, v.signum() < 0 ? SIGN_NEG : SIGN_POS, scale);
        for (int g = first; g < last; g++) out.putShort(nbase[g]);
        return out.array();
    }

    private static byte[] special(short sign) {
        return header(0, 0, sign, 0).array();
    }

    private static ByteBuffer header(int ndigits, int weight, short sign, int dscale) {
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * ndigits); // big-endian, as PostgreSQL's wire format
        out.putShort((short) ndigits).putShort((short) weight).putShort(sign).putShort((short) dscale);
        return out;
    }
}
