package io.sluice.ops.replay;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka's {@code --reset-offsets --from-file} CSV: {@code topic,partition,offset} per line (what
 * {@code --export} writes). Blank lines are skipped; anything else that does not fit is an error naming the line.
 */
public final class OffsetsFile {

    private OffsetsFile() {
    }

    public static ReplayTarget.FromFile read(Path file) {
        try {
            return new ReplayTarget.FromFile(file, parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<TopicPartition, Long> parse(String name, List<String> lines) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = name + " line " + (i + 1) + " '" + line + "'";
            String[] fields = line.split(",", -1);
            if (fields.length != 3 || fields[0].isBlank()) {
                throw new IllegalArgumentException(where + ": expected topic,partition,offset");
            }
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(fields[1].strip());
                offset = Long.parseLong(fields[2].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": partition and offset must be numbers");
            }
            if (partition < 0 || offset < 0) throw new IllegalArgumentException(where + ": partition and offset must be >= 0");
            if (offsets.put(new TopicPartition(fields[0].strip(), partition), offset) != null) {
                throw new IllegalArgumentException(where + ": " + fields[0].strip() + "-" + partition + " appears twice");
            }
        }
        if (offsets.isEmpty()) throw new IllegalArgumentException(name + " holds no offsets");
        return offsets;
    }
}
