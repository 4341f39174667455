package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.cid.Cid;
import java.io.IOException;

/**
 * Receives content-addressed blocks as a builder produces them: {@link CarWriter} writes them
 * out, a counting sink only measures. {@code data[off, off+len)} is only valid during the call.
 */
@FunctionalInterface
public interface BlockSink {

    void block(Cid cid, byte[] data, int off, int len) throws IOException;
}
