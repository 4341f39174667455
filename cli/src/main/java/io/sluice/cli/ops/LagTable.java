package io.sluice.cli.ops;

import io.sluice.ops.lag.GroupStatus;
import io.sluice.ops.lag.PartitionLag;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code sluice lag}'s text: per group a summary line, then one line per partition. */
final class LagTable {

    private LagTable() {
    }

    static String render(List<GroupStatus> statuses) {
        if (statuses.isEmpty()) return "no consumer groups\n";
        StringBuilder sb = new StringBuilder();
        for (GroupStatus s : statuses) {
            sb.append(String.format(Locale.ROOT, "%s  %s  members %d  lag %,d  rate %,.1f/s  eta %s  offsets from %s%n",
                    s.groupId(), s.status(), s.lag().members(), s.lag().totalLag(), s.ratePerSecond(),
                    eta(s.timeToDrain()), s.lag().source().label()));
            if (s.lag().partitions().isEmpty()) {
                sb.append("  (no committed offsets and no assigned partitions)\n");
                continue;
            }
            int width = Math.max(5, s.lag().partitions().stream().mapToInt(p -> p.topic().length()).max().orElse(5));
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9s  %15s  %15s  %12s%n", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG"));
            for (PartitionLag p : s.lag().partitions()) {
                String committed = p.committed().isPresent() ? String.format(Locale.ROOT, "%,d", p.committed().getAsLong()) : "-";
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %9d  %15s  %,15d  %,12d%n",
                        p.topic(), p.partition(), committed, p.end(), p.lag()));
            }
        }
        return sb.toString();
    }

    /** {@code 0s}, {@code 42s}, {@code 3m05s}, {@code 2h01m}; {@code -} when the lag is not shrinking. */
    static String eta(Optional<Duration> drain) {
        if (drain.isEmpty()) return "-";
        long s = (drain.get().toMillis() + 999) / 1000;
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
