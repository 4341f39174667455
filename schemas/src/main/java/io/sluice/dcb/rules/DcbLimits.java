package io.sluice.dcb.rules;

import java.util.List;
import java.util.Optional;

/**
 * How much one DCB request may ask of the store, so that a single append or read costs the
 * decider and PostgreSQL milliseconds, not seconds, and one client cannot stall the others. The
 * API refuses a request over a limit with a 400 before anything reaches Kafka; the decider refuses
 * such a command (REJECTED) too, whoever produced it. Each message names the limit and the
 * {@code sluice dcb-api} option that raises it. Immutable, validated when built.
 *
 * @param maxEventsPerAppend events in one append ({@value #EVENTS_OPTION})
 * @param maxTagsPerEvent    tags on one event ({@value #TAGS_PER_EVENT_OPTION})
 * @param maxTagsPerAppend   tags on all of one append's events together ({@value #TAGS_PER_APPEND_OPTION}):
 *                           the decider writes an index entry per tag, so this bounds its work per command
 * @param maxQueryItems      items in one query, of a condition or a read ({@value #QUERY_ITEMS_OPTION})
 * @param maxTypesPerItem    types in one query item ({@value #TYPES_PER_ITEM_OPTION})
 * @param maxTagsPerItem     tags in one query item ({@value #TAGS_PER_ITEM_OPTION})
 * @param maxNameBytes       UTF-8 bytes of one type or tag ({@value #NAME_BYTES_OPTION})
 */
public record DcbLimits(int maxEventsPerAppend, int maxTagsPerEvent, int maxTagsPerAppend, int maxQueryItems,
                        int maxTypesPerItem, int maxTagsPerItem, int maxNameBytes) {

    public static final String EVENTS_OPTION = "--max-events-per-append";
    public static final String TAGS_PER_EVENT_OPTION = "--max-tags-per-event";
    public static final String TAGS_PER_APPEND_OPTION = "--max-tags-per-append";
    public static final String QUERY_ITEMS_OPTION = "--max-query-items";
    public static final String TYPES_PER_ITEM_OPTION = "--max-types-per-item";
    public static final String TAGS_PER_ITEM_OPTION = "--max-tags-per-item";
    public static final String NAME_BYTES_OPTION = "--max-name-bytes";

    /** A ceiling for every count limit: past it the decider's cost per command is seconds again. */
    public static final int MAX_COUNT = 100_000;
    /** A ceiling for the name limit: names are index keys, not payload. */
    public static final int MAX_NAME_BYTES = 64 * 1024;

    private static final DcbLimits DEFAULTS = new DcbLimits(100, 100, 1000, 100, 100, 100, 256);

    public DcbLimits {
        within(maxEventsPerAppend, MAX_COUNT, "maxEventsPerAppend");
        within(maxTagsPerEvent, MAX_COUNT, "maxTagsPerEvent");
        within(maxTagsPerAppend, MAX_COUNT, "maxTagsPerAppend");
        within(maxQueryItems, MAX_COUNT, "maxQueryItems");
        within(maxTypesPerItem, MAX_COUNT, "maxTypesPerItem");
        within(maxTagsPerItem, MAX_COUNT, "maxTagsPerItem");
        within(maxNameBytes, MAX_NAME_BYTES, "maxNameBytes");
    }

    /**
     * 100 events per append, 100 tags per event, 1000 tags per append, 100 query items, 100 types
     * and 100 tags per item, 256 bytes per type or tag: well above what event-sourced models use
     * (a few events of a few tags), and small enough that the costliest append they allow is decided
     * in tens of milliseconds, not seconds (measured in DcbLimitsIT; see README, "Request limits").
     */
    public static DcbLimits defaults() {
        return DEFAULTS;
    }

    /** What is wrong with an append of {@code count} events, or empty. */
    public Optional<String> events(int count) {
        return count > maxEventsPerAppend
                ? Optional.of("events holds " + count + " events, more than the limit of " + maxEventsPerAppend + raise(EVENTS_OPTION))
                : Optional.empty();
    }

    /** What is wrong with an append whose events carry {@code count} tags together, or empty. */
    public Optional<String> appendTags(long count) {
        return count > maxTagsPerAppend
                ? Optional.of("events hold " + count + " tags together, more than the limit of " + maxTagsPerAppend
                + raise(TAGS_PER_APPEND_OPTION))
                : Optional.empty();
    }

    /** What is wrong with one event's {@code tags} at {@code where} (e.g. {@code events[3].tags}), or empty. */
    public Optional<String> eventTags(List<String> tags, String where) {
        return eventTagCount(tags.size(), where).or(() -> names(tags, where));
    }

    /** What is wrong with an event of {@code count} tags at {@code where}, or empty. */
    public Optional<String> eventTagCount(int count, String where) {
        return count > maxTagsPerEvent
                ? Optional.of(where + " holds " + count + " tags, more than the limit of " + maxTagsPerEvent + raise(TAGS_PER_EVENT_OPTION))
                : Optional.empty();
    }

    /** What is wrong with a query of {@code count} items at {@code where}, or empty. */
    public Optional<String> queryItems(int count, String where) {
        return count > maxQueryItems
                ? Optional.of(where + " holds " + count + " items, more than the limit of " + maxQueryItems + raise(QUERY_ITEMS_OPTION))
                : Optional.empty();
    }

    /** What is wrong with one query item's types and tags at {@code where} (e.g. {@code query.items[0]}), or empty. */
    public Optional<String> item(List<String> types, List<String> tags, String where) {
        return itemTypeCount(types.size(), where).or(() -> itemTagCount(tags.size(), where))
                .or(() -> names(types, where + ".types")).or(() -> names(tags, where + ".tags"));
    }

    /** What is wrong with a query item of {@code count} types at {@code where}, or empty. */
    public Optional<String> itemTypeCount(int count, String where) {
        return count > maxTypesPerItem
                ? Optional.of(where + ".types holds " + count + " types, more than the limit of " + maxTypesPerItem
                + raise(TYPES_PER_ITEM_OPTION))
                : Optional.empty();
    }

    /** What is wrong with a query item of {@code count} tags at {@code where}, or empty. */
    public Optional<String> itemTagCount(int count, String where) {
        return count > maxTagsPerItem
                ? Optional.of(where + ".tags holds " + count + " tags, more than the limit of " + maxTagsPerItem
                + raise(TAGS_PER_ITEM_OPTION))
                : Optional.empty();
    }

    /** What is wrong with one type or tag at {@code where} (its length and storability), or empty. */
    public Optional<String> name(String value, String where) {
        long bytes = StorableText.utf8Length(value);
        if (bytes > maxNameBytes) {
            return Optional.of(where + " is " + bytes + " bytes long in UTF-8, more than the limit of " + maxNameBytes
                    + raise(NAME_BYTES_OPTION));
        }
        return StorableText.problem(value).map(problem -> where + " " + problem);
    }

    private Optional<String> names(List<String> values, String where) {
        for (int i = 0; i < values.size(); i++) {
            Optional<String> problem = name(values.get(i), where + "[" + i + "]");
            if (problem.isPresent()) return problem;
        }
        return Optional.empty();
    }

    private static String raise(String option) {
        return " (" + option + " raises it)";
    }

    private static void within(int value, int max, String name) {
        if (value < 1 || value > max) throw new IllegalArgumentException(name + " must be 1.." + max + ", got " + value);
    }
}
