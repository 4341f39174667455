package io.sluice.backfill.atproto.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.testing.Fixtures;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The atproto-interop-tests data-model vectors, in both directions (CBOR to JSON and back). */
class DataModelFixturesTest {

    /** Longs for all integers, like the decoder, so JSON trees compare by value. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    static Stream<Arguments> fixtures() throws Exception {
        return nodes("data-model/data-model-fixtures.json").map(n -> Arguments.of(
                n.get("cid").asText(), Base64.getDecoder().decode(n.get("cbor_base64").asText()), n.get("json")));
    }

    static Stream<Arguments> valid() throws Exception {
        return nodes("data-model/data-model-valid.json").map(n -> Arguments.of(n.get("note").asText(), n.get("json")));
    }

    static Stream<Arguments> invalid() throws Exception {
        return nodes("data-model/data-model-invalid.json").map(n -> Arguments.of(n.get("note").asText(), n.get("json")));
    }

    private static Stream<JsonNode> nodes(String file) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(Fixtures.text(file)).forEach(list::add);
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesCborToTheFixtureJson(String cid, byte[] cbor, JsonNode json) throws Exception {
        assertThat(AtprotoJson.toJsonNode(DagCborDecoder.decode(cbor))).isEqualTo(json);
        assertThat(JSON.readTree(DagCborJson.toJson(cbor))).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void cidOfTheCborIsTheFixtureCid(String cid, byte[] cbor, JsonNode json) {
        assertThat(Cid.of(Cid.DAG_CBOR, cbor).toString()).isEqualTo(cid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void encodingReproducesTheFixtureBytes(String cid, byte[] cbor, JsonNode json) {
        assertThat(DagCborEncoder.encodeValue(DagCborDecoder.decode(cbor))).isEqualTo(cbor);
        // From JSON, whose keys are not in canonical order: the encoder must sort them.
        Map<String, Object> fromJson = AtprotoJson.fromJson(json);
        assertThat(DagCborEncoder.encodeValue(fromJson)).isEqualTo(cbor);
        assertThat(DagCborEncoder.cidOf(fromJson).toString()).isEqualTo(cid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsValidDataModelJson(String note, JsonNode json) throws Exception {
        Map<String, Object> value = AtprotoJson.fromJson(json);
        byte[] cbor = DagCborEncoder.encodeValue(value);
        assertThat(DataModel.isValid(DagCborDecoder.decode(cbor))).isTrue();
        assertThat(JSON.readTree(DagCborJson.toJson(cbor))).isEqualTo(AtprotoJson.toJsonNode(value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidDataModelJson(String note, JsonNode json) {
        assertThatThrownBy(() -> AtprotoJson.fromJson(json)).as(note).isInstanceOf(AtprotoFormatException.class);
    }

    /**
     * The invalid vectors that CBOR can carry (a float, a bad $type, a bad blob) must also be
     * rejected when they arrive as decoded DAG-CBOR. The others ($link/$bytes shape, a non-object
     * top level) are JSON-only problems: in CBOR a link is a tag and bytes a byte string.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidDataModelValuesDecodedFromCbor(String note, JsonNode json) {
        if (!json.isObject() || containsJsonOnlyForm(json)) {
            return;
        }
        Map<?, ?> map = (Map<?, ?>) plainValue(json);
        Object decoded = DagCborDecoder.decode(DagCborEncoder.encodeValue(map));
        assertThatThrownBy(() -> DataModel.validate(decoded)).as(note).isInstanceOf(AtprotoFormatException.class);
    }

    private static boolean containsJsonOnlyForm(JsonNode json) {
        return json.findParent("$bytes") != null || (json.findParent("$link") != null && json.findParent("ref") == null);
    }

    /** JSON to Java values with no atproto interpretation, so invalid documents can be encoded as-is. */
    private static Object plainValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), plainValue(e.getValue())));
            if (map.size() == 1 && map.get("$link") instanceof String s) {
                return Cid.parse(s);
            }
            return map;
        } else if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plainValue(item)));
            return list;
        } else if (node.isIntegralNumber()) {
            return node.longValue();
        } else if (node.isNumber()) {
            return node.doubleValue();
        } else if (node.isTextual()) {
            return node.textValue();
        } else if (node.isBoolean()) {
            return node.booleanValue();
        }
        return null;
    }
}
