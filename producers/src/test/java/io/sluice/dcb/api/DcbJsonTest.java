package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReadOptions;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.schemas.dcb.EventData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcbJsonTest {

    private static AppendRequest append(String json) {
        return DcbJson.parseAppend(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void rejectsAppend(String json, String message) {
        assertThatThrownBy(() -> append(json)).as(json).isInstanceOf(BadRequestException.class).hasMessageContaining(message);
    }

    @Test
    void parsesTheSuitesAppend() {
        AppendRequest request = append("""
                {"events": [{"type": "A", "tags": ["t:1", "t:2"], "data": "{\\"x\\":1}"}, {"type": "B", "data": ""}],
                 "condition": {"failIfEventsMatch": {"items": [{"types": ["A"], "tags": ["t:1"]}, {"tags": ["t:3"]}]},
                               "after": 41}}""");

        assertThat(request.events()).containsExactly(new EventData("A", List.of("t:1", "t:2"), "{\"x\":1}"),
                new EventData("B", List.of(), ""));
        assertThat(request.condition().getAfter()).isEqualTo(41L);
        assertThat(request.condition().getFailIfEventsMatch().getItems()).hasSize(2);
        assertThat(request.condition().getFailIfEventsMatch().getItems().get(1).getTypes()).isEmpty();
    }

    @Test
    void aConditionWithoutAfterCountsEveryEventAndNoConditionIsUnconditional() {
        assertThat(append("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": {\"failIfEventsMatch\": {}}}")
                .condition().getAfter()).isNull();
        assertThat(append("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}]}").condition()).isNull();
        assertThat(append("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": null}").condition()).isNull();
    }

    @Test
    void refusesWhatItCannotReadWithAMessageNamingTheField() {
        rejectsAppend("", "the request body is empty: expected a JSON object");
        rejectsAppend("{\"events\": [", "the request body is not valid JSON");
        rejectsAppend("[]", "must be an object");
        rejectsAppend("null", "must be a JSON object");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}]} {}", "not valid JSON");
        rejectsAppend("{\"events\": [], \"events\": []}", "not valid JSON: Duplicate field 'events'");
        rejectsAppend("{\"events\": []}", "events must be a non-empty array");
        rejectsAppend("{\"events\": [null]}", "events[0] must be an object");
        rejectsAppend("{\"events\": [{\"data\": \"d\"}]}", "events[0].type must be a non-blank string, got null");
        rejectsAppend("{\"events\": [{\"type\": 5, \"data\": \"d\"}]}", "events[0].type must be a string");
        rejectsAppend("{\"events\": [{\"type\": \"A\"}]}", "events[0].data is required");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": 1}]}", "events[0].data must be a string");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"tags\": \"t\"}]}", "events[0].tags must be an array");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"tags\": [\"\"]}]}", "events[0].tags[0] must be a non-blank");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"meta\": {}}]}",
                "unknown field 'meta' in events[0] (allowed: data, tags, type)");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"extra\": 1}", "unknown field 'extra' in the request body");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": {\"failIfEventsMatch\": {}, \"after\": -1}}",
                "condition.after must be at least 0");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": {\"failIfEventsMatch\": {}, \"after\": 1.5}}",
                "condition.after must be a whole number");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\"}], \"condition\": {\"failIfEventsMatch\":"
                + " {\"items\": [{\"types\": [\" \"]}]}}}", "condition.failIfEventsMatch.items[0].types[0] must be a non-blank");
    }

    @Test
    void refusesTextPostgresCannotStoreAndBytesThatAreNotUtf8NamingTheField() {
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"tags\": [\"ok\", \"t\\u0000\"]}]}",
                "events[0].tags[1] contains U+0000, which PostgreSQL text cannot store");
        rejectsAppend("{\"events\": [{\"type\": \"A\\u0000\", \"data\": \"d\"}]}", "events[0].type contains U+0000");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"x\\ud800y\"}]}",
                "events[0].data contains an unpaired surrogate U+D800 at index 1");
        rejectsAppend("{\"events\": [{\"type\": \"A\", \"data\": \"\\udc00\"}]}", "unpaired surrogate U+DC00");
        // a pair written as two escapes is one character, U+1F600
        assertThat(append("{\"events\": [{\"type\": \"A\", \"data\": \"\\ud83d\\ude00\"}]}").events().get(0).getData())
                .isEqualTo("\uD83D\uDE00");
        // C0 AF: an overlong '/', which a lenient decoder would accept as '/'
        byte[] overlong = "{\"events\": [{\"type\": \"A\", \"data\": \"__\"}]}".getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.UTF_8).indexOf("__");
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        assertThatThrownBy(() -> DcbJson.parseAppend(overlong)).isInstanceOf(BadRequestException.class)
                .hasMessage("the request body is not valid UTF-8: malformed bytes at offset " + at);
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"items\": [{\"tags\": [\"\\u0000\"]}]}"))
                .hasMessageContaining("query.items[0].tags[0] contains U+0000");
        assertThatThrownBy(() -> ReadHandler.decode("%7B%C0%AF%7D", "parameter 'query'"))
                .hasMessageContaining("parameter 'query' is not valid UTF-8");
        assertThat(ReadHandler.decode("%7B%22a%22+%F0%9F%98%80%7D", "q")).isEqualTo("{\"a\" \uD83D\uDE00}");
        assertThatThrownBy(() -> ReadHandler.decode("%7", "q")).hasMessageContaining("not URL-encoded properly");
    }

    @Test
    void refusesRequestsOverALimitNamingTheLimitAndItsOption() {
        DcbLimits small = new DcbLimits(2, 2, 3, 2, 2, 2, 4);
        String event = "{\"type\": \"A\", \"data\": \"d\"}";
        assertThatThrownBy(() -> DcbJson.parseAppend(("{\"events\": [" + event + "," + event + "," + event + "]}")
                .getBytes(StandardCharsets.UTF_8), small))
                .hasMessage("events holds 3 events, more than the limit of 2 (--max-events-per-append raises it)");
        assertThatThrownBy(() -> DcbJson.parseAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"tags\": [\"a\", \"b\", \"c\"]}]}"
                .getBytes(StandardCharsets.UTF_8), small))
                .hasMessage("events[0].tags holds 3 tags, more than the limit of 2 (--max-tags-per-event raises it)");
        String twoTags = "{\"type\": \"A\", \"data\": \"d\", \"tags\": [\"a\", \"b\"]}";
        assertThatThrownBy(() -> DcbJson.parseAppend(("{\"events\": [" + twoTags + "," + twoTags + "]}")
                .getBytes(StandardCharsets.UTF_8), small))
                .hasMessage("events hold 4 tags together, more than the limit of 3 (--max-tags-per-append raises it)");
        assertThatThrownBy(() -> DcbJson.parseAppend("{\"events\": [{\"type\": \"\u00e9\u00e9\u00e9\", \"data\": \"d\"}]}"
                .getBytes(StandardCharsets.UTF_8), small))
                .hasMessage("events[0].type is 6 bytes long in UTF-8, more than the limit of 4 (--max-name-bytes raises it)");
        assertThatThrownBy(() -> DcbJson.parseAppend(("{\"events\": [" + event + "], \"condition\": {\"failIfEventsMatch\":"
                + " {\"items\": [{}, {}, {}]}}}").getBytes(StandardCharsets.UTF_8), small))
                .hasMessageContaining("condition.failIfEventsMatch.items holds 3 items").hasMessageContaining("--max-query-items");
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"items\": [{\"types\": [\"A\", \"B\", \"C\"]}]}", small))
                .hasMessageContaining("query.items[0].types holds 3 types").hasMessageContaining("--max-types-per-item");
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"items\": [{\"tags\": [\"a\", \"b\", \"c\"]}]}", small))
                .hasMessageContaining("query.items[0].tags holds 3 tags").hasMessageContaining("--max-tags-per-item");
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"items\": [{}, {}, {}]}", small))
                .hasMessage("query.items holds 3 items, more than the limit of 2 (--max-query-items raises it)");
        // counted before binding: an over-long array of what binding would refuse is still a count error
        assertThatThrownBy(() -> DcbJson.parseAppend("{\"events\": [{\"type\": \"A\", \"data\": \"d\", \"tags\": [1, {}, [2]]}]}"
                .getBytes(StandardCharsets.UTF_8), small)).hasMessageContaining("events[0].tags holds 3 tags");
        // and JSON cut short is reported by binding, with its position
        assertThatThrownBy(() -> DcbJson.parseAppend("{\"events\": [{\"type\": \"A\", \"tags\": [\"a\", \"b\""
                .getBytes(StandardCharsets.UTF_8), small)).hasMessageContaining("the request body is not valid JSON");
    }

    @Test
    void parsesQueriesAndOptions() {
        assertThat(DcbJson.parseQuery(null)).isEqualTo(Query.all());
        assertThat(DcbJson.parseQuery("{\"items\": []}")).isEqualTo(Query.all());
        assertThat(DcbJson.parseQuery("{\"items\": [{\"types\": [\"A\", \"B\"], \"tags\": [\"t\"]}, {\"tags\": [\"u\"]}]}"))
                .isEqualTo(Query.of(QueryItem.of(List.of("A", "B"), List.of("t")), QueryItem.tags("u")));

        assertThat(DcbJson.parseOptions(null)).isEqualTo(ReadOptions.forwards());
        assertThat(DcbJson.parseOptions("{}")).isEqualTo(ReadOptions.forwards());
        assertThat(DcbJson.parseOptions("{\"from\": 0, \"limit\": 1, \"backwards\": true}"))
                .isEqualTo(new ReadOptions(OptionalLong.of(0), OptionalInt.of(1), true));
        assertThat(DcbJson.parseOptions("{\"backwards\": false}")).isEqualTo(ReadOptions.forwards());

        assertThatThrownBy(() -> DcbJson.parseOptions("{\"limit\": \"1\"}")).hasMessageContaining("options.limit must be a whole number");
        assertThatThrownBy(() -> DcbJson.parseOptions("{\"backwards\": \"yes\"}")).hasMessageContaining("options.backwards must be true or false");
        assertThatThrownBy(() -> DcbJson.parseOptions("{\"from\": -3}")).hasMessageContaining("options.from must be at least 0");
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"item\": []}")).hasMessageContaining("unknown field 'item' in query");
        assertThatThrownBy(() -> DcbJson.parseQuery("{\"items\": [{\"tags\": [null]}]}"))
                .hasMessageContaining("query.items[0].tags[0] must be a non-blank string, got null");
    }

    @Test
    void writesTheContractsResponses() {
        assertThat(new String(DcbJson.appendResponse(1234, true), StandardCharsets.UTF_8))
                .isEqualTo("{\"durationInMicroseconds\":1234,\"appendConditionFailed\":true}");
        assertThat(new String(DcbJson.events(List.of(new EventReader.Row(3, "A", List.of("t:1"), "{\"q\":\"\\\"\"}"))),
                StandardCharsets.UTF_8))
                .isEqualTo("[{\"type\":\"A\",\"tags\":[\"t:1\"],\"data\":\"{\\\"q\\\":\\\"\\\\\\\"\\\"}\",\"position\":3}]");
        assertThat(new String(DcbJson.events(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(new String(DcbJson.error(400, "bad_request", "a \"b\""), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"a \\\"b\\\"\",\"status\":400}");
    }
}
