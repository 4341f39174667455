package io.sluice.dcb.api;

import io.sluice.dcb.api.JsonBodies.AppendBody;
import io.sluice.dcb.api.JsonBodies.ConditionBody;
import io.sluice.dcb.api.JsonBodies.EventBody;
import io.sluice.dcb.api.JsonBodies.ItemBody;
import io.sluice.dcb.api.JsonBodies.QueryBody;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.dcb.rules.StorableText;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.EventData;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks bound JSON bodies against the rules the decider enforces (non-blank types and tags, at
 * least one event, {@code after >= 0}, the {@link DcbLimits}, {@link StorableText}), so a bad
 * request is answered 400 at once with the field that is wrong, instead of travelling to the
 * decider to be REJECTED there, or worse, being appended and then dead-lettered by the events sink.
 */
final class RequestChecks {

    private RequestChecks() {
    }

    static AppendRequest append(AppendBody body, DcbLimits limits) {
        if (body.events() == null || body.events().isEmpty()) {
            throw new BadRequestException("events must be a non-empty array: an append needs at least one event");
        }
        refuse(limits.events(body.events().size()));
        // the counts before any element is looked at: they bound the work of every check after them
        long tagCount = 0;
        for (int i = 0; i < body.events().size(); i++) {
            EventBody event = body.events().get(i);
            int tags = event == null || event.tags() == null ? 0 : event.tags().size();
            refuse(limits.eventTagCount(tags, "events[" + i + "].tags"));
            tagCount += tags;
        }
        refuse(limits.appendTags(tagCount));
        List<EventData> events = new ArrayList<>(body.events().size());
        for (int i = 0; i < body.events().size(); i++) {
            EventBody event = body.events().get(i);
            String where = "events[" + i + "]";
            if (event == null) throw new BadRequestException(where + " must be an object, got null");
            String type = nonBlank(event.type(), where + ".type");
            refuse(limits.name(type, where + ".type"));
            if (event.data() == null) throw new BadRequestException(where + ".data is required (a string)");
            List<String> tags = strings(event.tags(), where + ".tags");
            refuse(limits.eventTags(tags, where + ".tags"));
            refuse(StorableText.problem(event.data()).map(problem -> where + ".data " + problem));
            events.add(new EventData(type, tags, event.data()));
        }
        return new AppendRequest(events, condition(body.condition(), limits));
    }

    static Query query(QueryBody body, String where, DcbLimits limits) {
        List<ItemBody> items = body.items() == null ? List.of() : body.items();
        refuse(limits.queryItems(items.size(), where + ".items"));
        List<QueryItem> checked = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String at = where + ".items[" + i + "]";
            ItemBody item = item(items.get(i), at);
            List<String> types = strings(item.types(), at + ".types");
            List<String> tags = strings(item.tags(), at + ".tags");
            refuse(limits.item(types, tags, at));
            checked.add(QueryItem.of(types, tags));
        }
        return new Query(checked);
    }

    private static AppendCondition condition(ConditionBody body, DcbLimits limits) {
        if (body == null) return null;
        if (body.failIfEventsMatch() == null) {
            throw new BadRequestException("condition.failIfEventsMatch is required (a query) when there is a condition");
        }
        if (body.after() != null && body.after() < 0) {
            throw new BadRequestException("condition.after must be at least 0 (0: before the first event), got " + body.after());
        }
        List<ItemBody> items = body.failIfEventsMatch().items() == null ? List.of() : body.failIfEventsMatch().items();
        refuse(limits.queryItems(items.size(), "condition.failIfEventsMatch.items"));
        List<io.sluice.schemas.dcb.QueryItem> avroItems = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String where = "condition.failIfEventsMatch.items[" + i + "]";
            ItemBody item = item(items.get(i), where);
            List<String> types = strings(item.types(), where + ".types");
            List<String> tags = strings(item.tags(), where + ".tags");
            refuse(limits.item(types, tags, where));
            avroItems.add(new io.sluice.schemas.dcb.QueryItem(types, tags));
        }
        return new AppendCondition(new io.sluice.schemas.dcb.Query(avroItems), body.after());
    }

    private static ItemBody item(ItemBody item, String where) {
        if (item == null) throw new BadRequestException(where + " must be an object, got null");
        return item;
    }

    /** The list checked element by element; absent or null: empty. */
    private static List<String> strings(List<String> values, String where) {
        if (values == null) return List.of();
        for (int i = 0; i < values.size(); i++) nonBlank(values.get(i), where + "[" + i + "]");
        return List.copyOf(values);
    }

    private static String nonBlank(String value, String where) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(where + " must be a non-blank string, got " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    private static void refuse(Optional<String> problem) {
        if (problem.isPresent()) throw new BadRequestException(problem.get());
    }
}
