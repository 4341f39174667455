package io.sluice.backfill.simulator;

/**
 * Time values in the forms records carry: TIDs (atproto.com/specs/tid: 53 bits of microseconds
 * since the epoch, 10 bits of clock id, in sortable base32) and {@code createdAt} strings
 * ({@code 2024-05-01T12:34:56.789Z}). Hand-rolled because they are formatted once per generated
 * record, where {@code DateTimeFormatter} would dominate the cost.
 */
final class Timestamps {

    private static final char[] S32 = "234567abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Timestamps() {
    }

    static String tid(long micros, int clockId) {
        long v = (micros << 10) | (clockId & 0x3ff);
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = S32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }

    /** ISO-8601 UTC with milliseconds, as the reference app writes {@code createdAt}. */
    static String iso(long micros) {
        long millis = Math.floorDiv(micros, 1000);
        long days = Math.floorDiv(millis, 86_400_000L);
        int ms = (int) Math.floorMod(millis, 86_400_000L);
        // civil_from_days (H. Hinnant): proleptic Gregorian date of a day count
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        char[] c = new char[24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, ms / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, ms / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, ms / 1000 % 60, 2);
        c[19] = '.';
        digits(c, 20, ms % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
