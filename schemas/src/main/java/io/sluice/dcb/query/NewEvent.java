package io.sluice.dcb.query;

import java.util.List;
import java.util.Objects;

/**
 * An event as the client sends it, before the store gives it a position (the payload is left out:
 * nothing in the model looks at it).
 *
 * @param type the event type, non-blank
 * @param tags the event's tags, each non-blank
 */
public record NewEvent(String type, List<String> tags) {

    public NewEvent {
        Names.requireNonBlank(type, "event type");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        for (String tag : tags) Names.requireNonBlank(tag, "event tag");
    }

    public static NewEvent of(String type, String... tags) {
        return new NewEvent(type, List.of(tags));
    }
}
