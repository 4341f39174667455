package io.sluice.backfill.atproto.cid;

import io.sluice.backfill.atproto.AtprotoFormatException;

/** A CID, in binary or string form, that cannot be parsed or is not one atproto accepts. */
public class CidFormatException extends AtprotoFormatException {

    public CidFormatException(String message) {
        super(message);
    }
}
