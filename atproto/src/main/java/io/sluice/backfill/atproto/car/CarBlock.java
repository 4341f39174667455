package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.cid.Cid;

/**
 * One block section of a CAR: the CID it claims, its payload, and whether the payload really
 * hashes to that CID.
 *
 * @param offset stream offset of the section (its length varint), for error messages
 */
public record CarBlock(Cid cid, byte[] data, boolean verified, long offset) {
}
