package io.sluice.cli.ops;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT2S}); must be positive. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.trim();
        Matcher m = SHORT.matcher(v);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(v);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 2s, 1m, 1h or PT2S");
            }
        }
        if (d.isNegative() || d.isZero()) throw new TypeConversionException("'" + value + "' must be a positive duration");
        return d;
    }
}
