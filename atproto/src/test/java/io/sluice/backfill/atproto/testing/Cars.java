package io.sluice.backfill.atproto.testing;

import io.sluice.backfill.atproto.car.CarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes CARs for tests, including broken ones, with the production {@link CarWriter}: header
 * bytes and {@code (cid, data)} sections are written verbatim. Checking what a CAR holds is
 * {@link RawCar}'s job, which shares no code with production.
 */
public final class Cars {

    private Cars() {
    }

    public static byte[] write(byte[] header, List<byte[][]> sections) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CarWriter writer = new CarWriter(out).rawHeader(header);
            for (byte[][] section : sections) {
                writer.section(section[0], section[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
