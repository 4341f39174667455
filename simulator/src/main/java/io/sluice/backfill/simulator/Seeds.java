package io.sluice.backfill.simulator;

import java.util.SplittableRandom;

/**
 * Derives independent pseudo-random streams from the configured seed and a few coordinates
 * (DID index, collection, host, request number), so that any one repository or fault draw can
 * be reproduced without replaying anything else.
 */
final class Seeds {

    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective mix, so distinct inputs never collide. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long of(long seed, long a, long b) {
        return mix(mix(mix(seed) + a) + b);
    }

    static SplittableRandom random(long seed, long a, long b) {
        return new SplittableRandom(of(seed, a, b));
    }

    /** A uniform double in [0, 1) from {@code bits}. */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
