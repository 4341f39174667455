package io.sluice.dcb.api;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.EventData;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A checked {@code POST /append} body, in the form dcb.commands carries it.
 *
 * @param events    the events, at least one
 * @param condition the condition, or null for an unconditional append
 */
public record AppendRequest(List<EventData> events, AppendCondition condition) {

    public AppendRequest {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        if (events.isEmpty()) throw new IllegalArgumentException("an append needs at least one event");
    }

    /** The command for the decider; {@code idempotencyKey} may be null. */
    public AppendCommand toCommand(String requestId, String idempotencyKey, Instant receivedAt) {
        return new AppendCommand(requestId, idempotencyKey, events, condition, receivedAt);
    }
}
