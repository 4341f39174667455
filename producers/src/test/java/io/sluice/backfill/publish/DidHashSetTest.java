package io.sluice.backfill.publish;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DidHashSetTest {

    private static String did(int i) {
        return "did:plc:" + String.format("%024d", i);
    }

    @Test
    void aMillionDidsTakeAtMostSixteenBytesEachAndAreAllFound() {
        DidHashSet set = new DidHashSet();
        for (int i = 0; i < 1_000_000; i++) assertThat(set.add(did(i))).isTrue();

        assertThat(set.size()).isEqualTo(1_000_000);
        // The strings alone would be ~1,000,000 * (24 + 56) bytes; the table holds 8-byte fingerprints
        // at a load factor between 0.5 and 0.75.
        assertThat(set.memoryBytes()).isLessThanOrEqualTo(16L * 1_000_000).isGreaterThanOrEqualTo(8L * 1_000_000);
        for (int i = 0; i < 1_000_000; i += 997) assertThat(set.add(did(i))).isFalse();
        assertThat(set.contains(did(1_000_000))).isFalse();
        assertThat(set.size()).isEqualTo(1_000_000);
    }

    @Test
    void growsFromTheMinimumWithoutLosingEntries() {
        DidHashSet set = new DidHashSet();
        long initial = set.memoryBytes();
        for (int i = 0; i < 50_000; i++) set.add(did(i));

        assertThat(set.memoryBytes()).isGreaterThan(initial);
        for (int i = 0; i < 50_000; i++) assertThat(set.contains(did(i))).as(did(i)).isTrue();
        assertThat(set.contains("did:plc:nothere")).isFalse();
    }

    @Test
    void aFingerprintOfZeroIsStillStored() {
        DidHashSet set = new DidHashSet();
        // 0 is the empty-slot marker; fingerprint() never returns it.
        assertThat(set.addFingerprint(set.fingerprint("did:plc:x"))).isTrue();
        assertThat(set.fingerprint("did:plc:x")).isNotZero();
        assertThat(set.addFingerprint(1)).isTrue();
        assertThat(set.addFingerprint(1)).isFalse();
        assertThat(set.addFingerprint(-1)).isTrue();
        assertThat(set.addFingerprint(Long.MIN_VALUE)).isTrue();
        assertThat(set.size()).isEqualTo(4);
    }
}
