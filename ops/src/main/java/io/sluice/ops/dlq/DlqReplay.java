package io.sluice.ops.dlq;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry sent back (or, in a dry run, to be sent back) to its source topic.
 *
 * @param entry     the dead-letter entry
 * @param target    its source topic, from {@code sluice.dlq.topic}
 * @param partition where it went; empty in a dry run
 * @param offset    its new offset there; empty in a dry run
 */
public record DlqReplay(DlqEntry entry, String target, OptionalInt partition, OptionalLong offset) {
}
