package io.sluice.dcb.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.dcb.rules.DcbLimits;

import java.io.IOException;
import java.util.Optional;

/**
 * A first pass over a request's JSON that counts the elements of the arrays {@link DcbLimits}
 * bounds (events, tags, query items, their types and tags) without binding anything: Jackson
 * skips the strings it is not asked for, so a request over a count limit (100,000 tags) costs one
 * scan of its bytes and no garbage, instead of 100,000 strings that every other client then waits
 * for the garbage collector over. Refuses with the same messages as {@link RequestChecks}, which
 * checks the bound request again. JSON of another shape, or not JSON at all, passes: binding
 * reports it, with the field and position.
 */
final class ArrayCounts {

    private final JsonParser parser;
    private final DcbLimits limits;
    private Optional<String> first = Optional.empty();

    private ArrayCounts(JsonParser parser, DcbLimits limits) {
        this.parser = parser;
        this.limits = limits;
    }

    /** Refuses a {@code POST /append} body whose arrays are over a limit. */
    static void append(JsonFactory factory, byte[] body, DcbLimits limits) {
        try (JsonParser parser = factory.createParser(body)) {
            ArrayCounts counts = new ArrayCounts(parser, limits);
            if (parser.nextToken() != JsonToken.START_OBJECT) return;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("events") && value == JsonToken.START_ARRAY) counts.events();
                else if (field.equals("condition") && value == JsonToken.START_OBJECT) counts.condition();
                else parser.skipChildren();
            }
            counts.refuse();
        } catch (IOException e) {
            // not JSON, or not of this shape: binding says what is wrong
        }
    }

    /** Refuses a {@code GET /read} query whose arrays are over a limit. */
    static void query(JsonFactory factory, String json, DcbLimits limits) {
        try (JsonParser parser = factory.createParser(json)) {
            ArrayCounts counts = new ArrayCounts(parser, limits);
            if (parser.nextToken() != JsonToken.START_OBJECT) return;
            counts.queryObject("query");
            counts.refuse();
        } catch (IOException e) {
            // binding says what is wrong
        }
    }

    private void refuse() {
        if (first.isPresent()) throw new BadRequestException(first.get());
    }

    /** Keeps the first problem found, in RequestChecks' order: the events' count before any event's. */
    private void note(Optional<String> problem) {
        if (first.isEmpty()) first = problem;
    }

    private void events() throws IOException {
        int count = 0;
        long tags = 0;
        Optional<String> eventProblem = Optional.empty();
        for (JsonToken token; (token = next()) != JsonToken.END_ARRAY; count++) {
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("tags")) {
                    int n = elements();
                    tags += n;
                    if (eventProblem.isEmpty()) eventProblem = limits.eventTagCount(n, "events[" + count + "].tags");
                } else {
                    parser.skipChildren();
                }
            }
        }
        note(limits.events(count));
        note(eventProblem);
        note(limits.appendTags(tags));
    }

    private void condition() throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() == JsonToken.START_OBJECT && field.equals("failIfEventsMatch")) {
                queryObject("condition.failIfEventsMatch");
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Inside a query object: its items and each item's types and tags. */
    private void queryObject(String where) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("items")) items(where + ".items");
            else parser.skipChildren();
        }
    }

    private void items(String where) throws IOException {
        int count = 0;
        Optional<String> itemProblem = Optional.empty();
        for (JsonToken token; (token = next()) != JsonToken.END_ARRAY; count++) {
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String item = where + "[" + count + "]";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else if (field.equals("types")) {
                    int n = elements();
                    if (itemProblem.isEmpty()) itemProblem = limits.itemTypeCount(n, item);
                } else if (field.equals("tags")) {
                    int n = elements();
                    if (itemProblem.isEmpty()) itemProblem = limits.itemTagCount(n, item);
                } else {
                    parser.skipChildren();
                }
            }
        }
        note(limits.queryItems(count, where));
        note(itemProblem);
    }

    /** The elements of the array just opened, skipped. */
    private int elements() throws IOException {
        int count = 0;
        while (next() != JsonToken.END_ARRAY) {
            parser.skipChildren();
            count++;
        }
        return count;
    }

    /** The next token inside an array, which must end before the input does. */
    private JsonToken next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) throw new IOException("the input ends inside an array");
        return token;
    }
}
