package io.sluice.backfill.resolve;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ResolutionCacheTest {

    private final AtomicLong now = new AtomicLong();
    private static final PdsEndpoint PDS = PdsEndpoint.parse("https://pds.example");

    @Test
    void entriesExpireAfterTheTtl() {
        ResolutionCache cache = new ResolutionCache(10, Duration.ofSeconds(60), now::get);
        cache.put("did:plc:a", PDS);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get("did:plc:a")).contains(PDS);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(cache.get("did:plc:a")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        ResolutionCache cache = new ResolutionCache(2, Duration.ofHours(1), now::get);
        cache.put("did:plc:a", PDS);
        cache.put("did:plc:b", PDS);
        cache.get("did:plc:a");
        cache.put("did:plc:c", PDS);
        assertThat(cache.get("did:plc:b")).isEmpty();
        assertThat(cache.get("did:plc:a")).isPresent();
        assertThat(cache.get("did:plc:c")).isPresent();
    }

    @Test
    void sizeZeroCachesNothing() {
        ResolutionCache cache = new ResolutionCache(0, Duration.ofHours(1), now::get);
        cache.put("did:plc:a", PDS);
        assertThat(cache.get("did:plc:a")).isEmpty();
    }
}
