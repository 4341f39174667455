package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;

/**
 * Where a change sits in the source log: for MongoDB the cluster time of the change, as Debezium
 * reports it in {@code source.ts_ms} (whole seconds, in ms) and {@code source.ord} (the increment within
 * that second). On a replica set the oplog is totally ordered by this pair, so the changes to one
 * document are too. A snapshot read carries the position the snapshot was taken at, so every change
 * streamed after it is newer.
 *
 * @param tsMs the change's source.ts_ms
 * @param ord  the change's source.ord; null when the change carried none (a bundle from before positions
 *             were carried), and then ts_ms alone orders it
 */
public record SourcePosition(long tsMs, Integer ord) {

    public static SourcePosition of(UserRows bundle) {
        return new SourcePosition(bundle.getSourceTs().toEpochMilli(), bundle.getSourceOrd());
    }

    /**
     * Whether a change at this position comes after one at {@code applied}, so it must be applied. An
     * equal position is the same change delivered again: not after. Without an ord on either side a
     * tie on ts_ms cannot be broken by the source; the later arrival wins it, as before positions were
     * carried, so two changes within one second are not lost.
     */
    public boolean isAfter(SourcePosition applied) {
        if (tsMs != applied.tsMs) return tsMs > applied.tsMs;
        if (ord == null || applied.ord == null) return true;
        return ord > applied.ord;
    }
}
