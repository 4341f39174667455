package io.sluice.backfill.atproto.cbor;

/** DAG-CBOR nested deeper than the reader's limit: valid bytes, refused to keep the stack bounded. */
public final class DagCborDepthException extends DagCborException {

    public DagCborDepthException(String message) {
        super(message);
    }
}
