package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReadOptions;
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
