package io.sluice.ops.replay;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code --topic}: a topic, and some of its partitions ({@code t:0,2}) or, when {@code partitions} is
 * empty, all of them.
 */
public record TopicSelection(String topic, Set<Integer> partitions) {

    public TopicSelection {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) throw new IllegalArgumentException("the topic name is empty");
        partitions = Set.copyOf(partitions);
    }

    /** {@code topic} or {@code topic:0,2}, as Kafka's {@code kafka-consumer-groups --topic} takes them. */
    public static TopicSelection parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) return new TopicSelection(value.strip(), Set.of());
        Set<Integer> partitions = new TreeSet<>();
        for (String p : value.substring(colon + 1).split(",", -1)) {
            try {
                int partition = Integer.parseInt(p.strip());
                if (partition < 0) throw new NumberFormatException();
                partitions.add(partition);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "': partitions are numbers >= 0 after the colon, e.g. "
                        + value.substring(0, colon) + ":0,2");
            }
        }
        return new TopicSelection(value.substring(0, colon).strip(), partitions);
    }

    public boolean allPartitions() {
        return partitions.isEmpty();
    }
}
