package io.sluice.backfill.atproto.car;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sluice.backfill.atproto.AtprotoFormatException;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CAR is the first thing a PDS sends. Invariant: any byte string is read to its end or refused
 * with an {@link AtprotoFormatException} (a {@link CarFormatException}, or a bad CID or header); the reader never reads past its limits, and counts every block
 * whose bytes do not hash to its CID instead of passing it on as verified.
 */
class CarReaderFuzzTest {

    private static final Limits LIMITS = new Limits(64 * 1024, 1024 * 1024);

    @FuzzTest(maxDuration = "10s")
    void read(byte[] car) throws IOException {
        try {
            CarReader reader = new CarReader(new ByteArrayInputStream(car), LIMITS);
            long verified = 0;
            for (CarBlock block = reader.next(); block != null; block = reader.next()) {
                if (block.verified()) {
                    assertTrue(block.cid().matches(block.data(), 0, block.data().length), "a verified block must match its CID");
                    verified++;
                }
            }
            assertTrue(reader.bytesRead() <= car.length, "read " + reader.bytesRead() + " of " + car.length + " bytes");
            assertTrue(verified + reader.badCids() <= reader.blocks());
        } catch (AtprotoFormatException expected) {
            // the documented refusal
        }
    }
}
