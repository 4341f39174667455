package io.sluice.ops.dlq;

import java.util.List;

/**
 * What one dead-letter topic holds.
 *
 * @param topic     the dead-letter topic
 * @param read      entries read (from its start to its end when the command started, or up to the bound)
 * @param truncated true when the bound stopped the reading before the end
 * @param counts    entries per stage and reason, most first
 */
public record DlqSummary(String topic, long read, boolean truncated, List<Count> counts) {

    /** Entries of one stage with one reason. */
    public record Count(String stage, String reason, long entries) {
    }
}
