package io.sluice.dcb.query;

import java.util.List;
import java.util.Objects;

/**
 * What the matcher sees of an event in the store: its position, type and tags (not its data,
 * which no query or condition looks at).
 *
 * @param position the event's position, at least 1
 * @param type     the event type
 * @param tags     the event's tags, in the order they were appended
 */
public record StoredEvent(long position, String type, List<String> tags) {

    public StoredEvent {
        if (position < 1) throw new IllegalArgumentException("position must be at least 1, got " + position);
        Names.requireNonBlank(type, "event type");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    }

    public static StoredEvent of(long position, String type, String... tags) {
        return new StoredEvent(position, type, List.of(tags));
    }
}
