package io.sluice.ops.dlq;

import java.util.Optional;

/**
 * Which dead-letter entries a command is about; every part left empty selects all.
 *
 * @param topic      one dead-letter topic (default: every topic whose name ends in {@code .dlq})
 * @param stage      the {@code sluice.dlq.stage} header's value
 * @param reason     the {@code sluice.dlq.reason} header's value
 * @param partition  a partition of the dead-letter topic
 * @param fromOffset the first dead-letter offset, inclusive
 * @param toOffset   the last dead-letter offset, inclusive
 */
public record DlqSelection(Optional<String> topic, Optional<String> stage, Optional<String> reason,
                           Optional<Integer> partition, long fromOffset, long toOffset) {

    public static final DlqSelection ALL = new DlqSelection(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), 0, Long.MAX_VALUE);

    public DlqSelection {
        if (fromOffset < 0 || toOffset < fromOffset) {
            throw new IllegalArgumentException("offset range must be 0 <= FROM <= TO, got " + fromOffset + ".." + toOffset);
        }
        partition.ifPresent(p -> {
            if (p < 0) throw new IllegalArgumentException("partition must be >= 0, got " + p);
        });
    }

    /**
     * Parses {@code FROM} (that one offset) or {@code FROM..TO} (inclusive).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec}
     */
    public static long[] parseOffsets(String spec) {
        String[] parts = spec.split("\\.\\.", -1);
        if (parts.length > 2) throw new IllegalArgumentException("expected FROM or FROM..TO, got '" + spec + "'");
        try {
            long from = Long.parseLong(parts[0].trim());
            long to = parts.length == 1 ? from : Long.parseLong(parts[1].trim());
            if (from < 0 || to < from) throw new IllegalArgumentException("expected 0 <= FROM <= TO, got '" + spec + "'");
            return new long[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected FROM or FROM..TO with whole numbers, got '" + spec + "'", e);
        }
    }

    boolean matches(DlqEntry e) {
        return topic.map(e.topic()::equals).orElse(true)
                && stage.map(e.stage()::equals).orElse(true)
                && reason.map(e.reason()::equals).orElse(true)
                && partition.map(p -> p == e.partition()).orElse(true)
                && e.offset() >= fromOffset && e.offset() <= toOffset;
    }
}
