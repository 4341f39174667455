package io.sluice.backfill.publish;

import java.time.Duration;
import java.util.List;

/**
 * The result of publishing a DID list.
 *
 * @param runId         the run id every published DidWorkItem carries
 * @param topic         where they went
 * @param lines         lines read
 * @param published     DIDs published and acknowledged by the broker (each distinct valid DID once)
 * @param duplicates    valid lines dropped because their DID appeared on an earlier line
 * @param invalid       lines that are not DIDs (all of them, even beyond the listed ones)
 * @param invalidLines  the first {@link DidPublisher#MAX_LISTED_INVALID} invalid lines, in order
 * @param elapsed       wall-clock time of the whole publish
 */
public record PublishSummary(String runId, String topic, long lines, long published, long duplicates, long invalid,
                             List<InvalidLine> invalidLines, Duration elapsed) {

    public PublishSummary {
        invalidLines = List.copyOf(invalidLines);
    }

    public boolean hasInvalid() {
        return invalid > 0;
    }

    /** Invalid lines not in {@link #invalidLines()}. */
    public long unlistedInvalid() {
        return invalid - invalidLines.size();
    }
}
