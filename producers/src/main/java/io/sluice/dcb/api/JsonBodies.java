package io.sluice.dcb.api;

import java.util.List;

/**
 * The JSON shapes of the dcb.events HTTP contract, bound by {@link DcbJson}'s strict mapper (an
 * unknown field is an error). Absent or null collections read as empty; everything else is checked
 * by {@link DcbJson} after binding, so the error can name the field.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    /** {@code POST /append}: {@code {"events": [...], "condition": {...}}}. */
    record AppendBody(List<EventBody> events, ConditionBody condition) {
    }

    /** One event to append: {@code {"type", "tags", "data"}}, data a string. */
    record EventBody(String type, List<String> tags, String data) {
    }

    /** {@code {"failIfEventsMatch": <query>, "after": N}}; after absent: every event counts. */
    record ConditionBody(QueryBody failIfEventsMatch, Long after) {
    }

    /** {@code {"items": [...]}}; no items: every event. */
    record QueryBody(List<ItemBody> items) {
    }

    /** {@code {"types": [...], "tags": [...]}}. */
    record ItemBody(List<String> types, List<String> tags) {
    }

    /** {@code GET /read}'s options: {@code {"from", "limit", "backwards"}}, all optional. */
    record OptionsBody(Long from, Integer limit, Boolean backwards) {
    }
}
