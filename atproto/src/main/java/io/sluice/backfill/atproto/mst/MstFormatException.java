package io.sluice.backfill.atproto.mst;

import io.sluice.backfill.atproto.AtprotoFormatException;

/** An MST node that is malformed, or a tree whose keys are out of order or on the wrong layer. */
public class MstFormatException extends AtprotoFormatException {

    public MstFormatException(String message) {
        super(message);
    }

    public MstFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
