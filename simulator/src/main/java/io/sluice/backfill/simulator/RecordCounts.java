package io.sluice.backfill.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * How many records each generated repository holds: between {@code min} and {@code max}
 * inclusive, {@link Shape#UNIFORM} or {@link Shape#SKEWED} (many small accounts, a few large
 * ones, as on the real network: {@code min + (max-min)·u³}, mean {@code min + (max-min)/4}).
 */
public record RecordCounts(int min, int max, Shape shape) {

    public enum Shape {
        UNIFORM, SKEWED;

        /** Strict parse: an unknown name is an error listing the allowed ones. */
        public static Shape parse(String name) {
            for (Shape s : values()) {
                if (s.name().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown record count shape '" + name + "'; allowed: "
                    + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    public RecordCounts {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("record counts need 0 <= min <= max, got min=" + min + " max=" + max);
        }
        if (max > 5_000_000) {
            throw new IllegalArgumentException("at most 5,000,000 records per repository (use bigRepoBytes for one"
                    + " huge repository), got max=" + max);
        }
        if (shape == null) {
            throw new IllegalArgumentException("record count shape is required");
        }
    }

    public static RecordCounts exactly(int n) {
        return new RecordCounts(n, n, Shape.UNIFORM);
    }

    public static RecordCounts uniform(int min, int max) {
        return new RecordCounts(min, max, Shape.UNIFORM);
    }

    public static RecordCounts skewed(int min, int max) {
        return new RecordCounts(min, max, Shape.SKEWED);
    }

    /** Expected records per repository. */
    public double mean() {
        return shape == Shape.UNIFORM ? (min + max) / 2.0 : min + (max - min) / 4.0;
    }

    int draw(SplittableRandom rng) {
        double u = rng.nextDouble();
        double f = shape == Shape.UNIFORM ? u : u * u * u;
        return min + (int) Math.min(max - min, Math.floor(f * (max - min + 1.0)));
    }
}
