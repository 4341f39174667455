package io.sluice.dcb.decider;

import io.sluice.dcb.query.Condition;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.dcb.rules.StorableText;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.QueryItem;
import io.sluice.schemas.topics.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks an {@link AppendCommand} before the decider acts on it (the API's checks again, the
 * {@link DcbLimits} and {@link StorableText} included, for commands produced by anyone else) and turns its condition into the
 * model's {@link Condition}. A problem becomes a REJECTED result naming it, never an exception:
 * one bad client request must not stop the decider. Checked by hand, without building model
 * objects that would throw, because this runs for every command.
 */
final class CommandValidation {

    private CommandValidation() {
    }

    /**
     * What is wrong with {@code command} under {@code key}, or empty when the decider may decide it.
     */
    static Optional<String> problem(String key, AppendCommand command, DcbLimits limits) {
        // Every command must sit on the one partition whose task owns the sequence: a command
        // keyed otherwise may land on another task with its own positions, which would collide.
        if (!Topics.DCB_COMMAND_KEY.equals(key)) {
            return Optional.of("command key must be '" + Topics.DCB_COMMAND_KEY + "' (one decider orders all appends), got "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        if (command.getRequestId().isBlank()) return Optional.of("request_id is empty");
        if (command.getIdempotencyKey() != null && command.getIdempotencyKey().isBlank()) {
            return Optional.of("idempotency_key is empty (omit it for none)");
        }
        if (command.getIdempotencyKey() != null && command.getIdempotencyKey().startsWith(IdempotencyLog.REQUEST_PREFIX.substring(0, 1))) {
            return Optional.of("idempotency_key must not start with U+0000");
        }
        List<EventData> events = command.getEvents();
        if (events.isEmpty()) return Optional.of("an append needs at least one event, got none");
        // The limits first: they bound the cost of every check after them.
        Optional<String> tooMany = limits.events(events.size());
        if (tooMany.isPresent()) return tooMany;
        long tagCount = 0;
        for (int i = 0; i < events.size(); i++) {
            int tags = events.get(i).getTags().size();
            tooMany = limits.eventTagCount(tags, "events[" + i + "].tags");
            if (tooMany.isPresent()) return tooMany;
            tagCount += tags;
        }
        tooMany = limits.appendTags(tagCount);
        if (tooMany.isPresent()) return tooMany;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            String where = "events[" + i + "]";
            if (event.getType().isBlank()) return Optional.of(where + ".type is empty");
            Optional<String> problem = blank(event.getTags(), where + ".tags")
                    .or(() -> limits.name(event.getType(), where + ".type"))
                    .or(() -> limits.eventTags(event.getTags(), where + ".tags"))
                    .or(() -> StorableText.problem(event.getData()).map(p -> where + ".data " + p));
            if (problem.isPresent()) return problem;
        }
        AppendCondition condition = command.getCondition();
        if (condition == null) return Optional.empty();
        if (condition.getAfter() != null && condition.getAfter() < 0) {
            return Optional.of("condition.after must be at least 0 (0: before the first event), got " + condition.getAfter());
        }
        List<QueryItem> items = condition.getFailIfEventsMatch().getItems();
        Optional<String> tooManyItems = limits.queryItems(items.size(), "condition.fail_if_events_match.items");
        if (tooManyItems.isPresent()) return tooManyItems;
        for (int i = 0; i < items.size(); i++) {
            String where = "condition.fail_if_events_match.items[" + i + "]";
            QueryItem item = items.get(i);
            Optional<String> problem = blank(item.getTypes(), where + ".types").or(() -> blank(item.getTags(), where + ".tags"))
                    .or(() -> limits.item(item.getTypes(), item.getTags(), where));
            if (problem.isPresent()) return problem;
        }
        return Optional.empty();
    }

    /** The model condition of a command {@link #problem} found nothing wrong with, or null when it has none. */
    static Condition condition(AppendCommand command) {
        AppendCondition condition = command.getCondition();
        if (condition == null) return null;
        List<QueryItem> avroItems = condition.getFailIfEventsMatch().getItems();
        List<io.sluice.dcb.query.QueryItem> items = new ArrayList<>(avroItems.size());
        for (QueryItem item : avroItems) items.add(io.sluice.dcb.query.QueryItem.of(item.getTypes(), item.getTags()));
        Long after = condition.getAfter();
        return new Condition(new Query(items), after == null ? OptionalLong.empty() : OptionalLong.of(after));
    }

    private static Optional<String> blank(List<String> values, String where) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isBlank()) return Optional.of(where + "[" + i + "] is empty");
        }
        return Optional.empty();
    }
}
