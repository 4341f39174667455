package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cbor.DagCborDepthException;
import io.sluice.backfill.atproto.cbor.DagCborJson;

/**
 * Decodes the records of one repository, one at a time, under the fetcher's per-record limits. Consumes
 * each record block's bytes; produces its atproto JSON, or a {@link Rejected} naming the reason
 * (RECORD_UNDECODABLE, RECORD_TOO_DEEP, EXTRACTION_LIMIT) so that the one record is dead-lettered and the
 * rest of the repository is still stored.
 *
 * <p>The JSON budget bounds what one CAR can make the fetcher produce: record blocks may be shared by
 * any number of tree keys, so a small CAR can list one large record a million times. Once the JSON
 * produced (counted in characters) passes the budget, the record that passed it is rejected and
 * {@link #stopped()} turns true: the walk counts the rest without decoding them. Not thread-safe: one
 * per download.
 */
final class RecordDecoder {

    /** A record that is not produced, and why. */
    static final class Rejected extends Exception {
        private final FailureReason reason;

        Rejected(FailureReason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        FailureReason reason() {
            return reason;
        }
    }

    private final int maxDepth;
    private final long jsonBudget;
    private long jsonChars;
    private boolean stopped;

    /** @param jsonBudget most JSON characters the repository may produce; see {@link FetcherConfig#maxJsonPerCarByte()} */
    RecordDecoder(int maxDepth, long jsonBudget) {
        this.maxDepth = maxDepth;
        this.jsonBudget = jsonBudget;
    }

    static RecordDecoder forCar(FetcherConfig config, long carBytes) {
        return new RecordDecoder(config.maxRecordDepth(), saturatedProduct(config.maxJsonPerCarByte(), carBytes));
    }

    String toJson(byte[] cbor) throws Rejected {
        if (stopped) throw new IllegalStateException("extraction stopped at its JSON budget");
        String json;
        try {
            json = DagCborJson.toJson(cbor, maxDepth);
        } catch (DagCborDepthException e) {
            throw new Rejected(FailureReason.RECORD_TOO_DEEP, e.getMessage() + " (max record depth " + maxDepth + ")", e);
        } catch (AtprotoFormatException e) {
            throw new Rejected(FailureReason.RECORD_UNDECODABLE, "not valid DAG-CBOR: " + e.getMessage(), e);
        }
        jsonChars += json.length();
        if (jsonChars > jsonBudget) {
            stopped = true;
            throw new Rejected(FailureReason.EXTRACTION_LIMIT, "the repository's records pass " + jsonBudget
                    + " JSON characters (max JSON per CAR byte times the CAR's size); extraction stopped here", null);
        }
        return json;
    }

    /** True once the JSON budget is spent: no further record is decoded. */
    boolean stopped() {
        return stopped;
    }

    private static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
