package io.sluice.backfill.simulator;

/**
 * Faults a virtual PDS host injects into requests its rate limit admitted. Per request, one
 * pseudo-random draw from the host's seeded sequence picks at most one of: an injected 429
 * ({@code p429}), a 5xx ({@code p5xx}), a truncated body ({@code pTruncated}: Content-Length
 * promises the whole CAR, the connection closes part way) or a slow body ({@code pSlow}: written
 * at {@code slowBytesPerSecond}). Truncated and slow apply to {@code getRepo} bodies only.
 * Independently, each request starts a 429 storm with probability {@code stormChance}: the host
 * then answers every request with 429 for {@code stormMillis}.
 */
public record Faults(double p429, double p5xx, double pTruncated, double pSlow, int slowBytesPerSecond,
                     double stormChance, int stormMillis) {

    public static final Faults NONE = new Faults(0, 0, 0, 0, 64 * 1024, 0, 0);

    public Faults {
        probability("p429", p429);
        probability("p5xx", p5xx);
        probability("pTruncated", pTruncated);
        probability("pSlow", pSlow);
        probability("stormChance", stormChance);
        if (p429 + p5xx + pTruncated + pSlow > 1.0 + 1e-9) {
            throw new IllegalArgumentException("p429 + p5xx + pTruncated + pSlow must not exceed 1, got "
                    + (p429 + p5xx + pTruncated + pSlow));
        }
        if (slowBytesPerSecond < 1) {
            throw new IllegalArgumentException("slowBytesPerSecond must be positive, got " + slowBytesPerSecond);
        }
        if (stormMillis < 0 || (stormChance > 0 && stormMillis == 0)) {
            throw new IllegalArgumentException("stormMillis must be positive when stormChance > 0, got " + stormMillis);
        }
    }

    public Faults withP429(double p) {
        return new Faults(p, p5xx, pTruncated, pSlow, slowBytesPerSecond, stormChance, stormMillis);
    }

    public Faults withP5xx(double p) {
        return new Faults(p429, p, pTruncated, pSlow, slowBytesPerSecond, stormChance, stormMillis);
    }

    public Faults withTruncated(double p) {
        return new Faults(p429, p5xx, p, pSlow, slowBytesPerSecond, stormChance, stormMillis);
    }

    public Faults withSlow(double p, int bytesPerSecond) {
        return new Faults(p429, p5xx, pTruncated, p, bytesPerSecond, stormChance, stormMillis);
    }

    public Faults withStorms(double chance, int millis) {
        return new Faults(p429, p5xx, pTruncated, pSlow, slowBytesPerSecond, chance, millis);
    }

    public boolean any() {
        return p429 + p5xx + pTruncated + pSlow + stormChance > 0;
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
    }
}
