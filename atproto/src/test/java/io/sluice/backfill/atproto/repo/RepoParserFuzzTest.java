package io.sluice.backfill.atproto.repo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.Limits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole repository CAR, as {@code inspect-car} and the fetcher read it: header, blocks, commit,
 * MST walk, every record to JSON. Invariant: any input yields records or throws an
 * {@link AtprotoFormatException}, and the summary counts exactly the records handed out.
 */
class RepoParserFuzzTest {

    private static final Limits LIMITS = new Limits(64 * 1024, 1024 * 1024);

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] car) throws IOException {
        AtomicLong seen = new AtomicLong();
        RepoSummary summary;
        try {
            summary = RepoParser.parse(new ByteArrayInputStream(car), LIMITS, record -> seen.incrementAndGet());
        } catch (AtprotoFormatException expected) {
            return;
        }
        assertEquals(seen.get(), summary.records());
    }
}
