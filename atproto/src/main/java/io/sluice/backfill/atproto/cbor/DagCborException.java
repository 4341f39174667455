package io.sluice.backfill.atproto.cbor;

import io.sluice.backfill.atproto.AtprotoFormatException;

/** Bytes that are not valid DAG-CBOR, or a value that DAG-CBOR cannot represent. */
public class DagCborException extends AtprotoFormatException {

    public DagCborException(String message) {
        super(message);
    }

    public DagCborException(String message, Throwable cause) {
        super(message, cause);
    }
}
