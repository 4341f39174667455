package io.sluice.backfill.atproto.mst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MST key rules against atproto-interop-tests' mst/ vectors. */
class MstKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> keyHeights() throws Exception {
        return elements("mst/key_heights.json").map(n -> Arguments.of(n.get("key").asText(), n.get("height").asInt()));
    }

    static Stream<Arguments> commonPrefixes() throws Exception {
        return elements("mst/common_prefix.json")
                .map(n -> Arguments.of(n.get("left").asText(), n.get("right").asText(), n.get("len").asInt()));
    }

    static Stream<String> exampleKeys() {
        return Fixtures.text("mst/example_keys.txt").lines().filter(line -> !line.isEmpty());
    }

    private static Stream<JsonNode> elements(String file) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(Fixtures.text(file)).forEach(list::add);
        return list.stream();
    }

    @ParameterizedTest(name = "height(\"{0}\") = {1}")
    @MethodSource("keyHeights")
    void computesKeyHeights(String key, int height) {
        assertThat(MstKeys.height(key)).isEqualTo(height);
    }

    @ParameterizedTest(name = "prefix(\"{0}\", \"{1}\") = {2}")
    @MethodSource("commonPrefixes")
    void computesCommonPrefixLengths(String left, String right, int length) {
        assertThat(MstKeys.commonPrefixLength(left, right)).isEqualTo(length);
    }

    @ParameterizedTest
    @MethodSource("exampleKeys")
    void exampleKeysAreValid(String key) {
        assertThat(MstKeys.isValidKey(key)).isTrue();
    }

    @Test
    void exampleKeysAreAllThere() {
        assertThat(exampleKeys()).hasSize(156).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "app.bsky.feed.post", "/3jui7", "app.bsky.feed.post/", "a/b/c", "a b/c", "a/b c",
        "app.bsky.feed.post/ab#c", "app.bsky.feed.post/é", "a//b"})
    void rejectsInvalidKeys(String key) {
        assertThat(MstKeys.isValidKey(key)).isFalse();
    }

    @Test
    void acceptsRealKeysAndEnforcesTheLengthLimit() {
        assertThat(MstKeys.isValidKey("app.bsky.feed.post/3jui7kd54zh2y")).isTrue();
        assertThat(MstKeys.isValidKey("com.example.record/literal:self~_-.")).isTrue();
        assertThat(MstKeys.isValidKey("c/" + "o".repeat(MstKeys.MAX_KEY_LENGTH - 2))).isTrue();
        assertThat(MstKeys.isValidKey("c/" + "o".repeat(MstKeys.MAX_KEY_LENGTH - 1))).isFalse();
    }
}
