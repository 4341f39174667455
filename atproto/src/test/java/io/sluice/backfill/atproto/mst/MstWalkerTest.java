package io.sluice.backfill.atproto.mst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walker on small trees built by hand with the encoder: a correct two-layer tree, and the
 * ways a tree can be wrong. (The real repositories are exercised in RepoParserTest.)
 */
class MstWalkerTest {

    private final Map<Cid, byte[]> blocks = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private final List<Cid> values = new ArrayList<>();

    /** Three height-0 keys and one height-1 key between them, found by search so the test states no hashes. */
    private String low1;
    private String low2;
    private String high;
    private String low3;

    @BeforeEach
    void findKeys() {
        List<String> zero = new ArrayList<>();
        String one = null;
        for (int i = 0; zero.size() < 50 || one == null; i++) {
            String key = "com.example.record/k" + String.format("%04d", i);
            int h = MstKeys.height(key);
            if (h == 0) {
                zero.add(key);
            } else if (h == 1 && one == null && zero.size() >= 2) {
                one = key;
            }
        }
        high = one;
        List<String> before = zero.stream().filter(k -> k.compareTo(high) < 0).toList();
        List<String> after = zero.stream().filter(k -> k.compareTo(high) > 0).toList();
        low1 = before.get(0);
        low2 = before.get(1);
        low3 = after.get(0);
    }

    @Test
    void walksATwoLayerTreeInKeyOrder() {
        Cid left = node(null, entry(low1, null), entry(low2, null));
        Cid right = node(null, entry(low3, null));
        Cid root = node(left, entry(high, right));

        MstWalker.Result result = MstWalker.walk(root, blocks::get, this::collect);

        assertThat(keys).containsExactly(low1, low2, high, low3);
        assertThat(values).containsExactly(value(low1), value(low2), value(high), value(low3));
        assertThat(result).isEqualTo(new MstWalker.Result(4, 3, 0));
    }

    @Test
    void countsMissingSubtreesAndCarriesOn() {
        Cid right = node(null, entry(low3, null));
        Cid root = node(Cid.of(Cid.DAG_CBOR, new byte[] {42}), entry(high, right));

        MstWalker.Result result = MstWalker.walk(root, blocks::get, this::collect);

        assertThat(keys).containsExactly(high, low3);
        assertThat(result.missingNodes()).isEqualTo(1);
    }

    @Test
    void rejectsKeysOutOfOrder() {
        Cid root = node(null, entry(low2, null), entry(low1, null));
        assertThatThrownBy(() -> MstWalker.walk(root, blocks::get, this::collect))
                .isInstanceOf(MstFormatException.class).hasMessageContaining("out of order");
    }

    @Test
    void rejectsAKeyOnTheWrongLayer() {
        Cid root = node(null, entry(low1, null), entry(high, null));
        assertThatThrownBy(() -> MstWalker.walk(root, blocks::get, this::collect))
                .isInstanceOf(MstFormatException.class).hasMessageContaining("mixes key heights 0 and 1");
    }

    @Test
    void rejectsASubtreeThatSkipsALayer() {
        Cid layer0 = node(null, entry(low1, null));
        Cid emptyLayer1 = node(layer0);
        Cid root = node(emptyLayer1, entry(high, null)); // layer 1 root pointing to a layer-1 node
        assertThatThrownBy(() -> MstWalker.walk(root, blocks::get, this::collect))
                .isInstanceOf(MstFormatException.class).hasMessageContaining("on layer 0 but points to a subtree");
    }

    @Test
    void rejectsMalformedNodes() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("l", null);
        bad.put("e", List.of(Map.of("p", 0L, "k", "not bytes", "v", value(low1))));
        Cid root = put(bad);
        assertThatThrownBy(() -> MstWalker.walk(root, blocks::get, this::collect))
                .isInstanceOf(MstFormatException.class).hasMessageContaining("no key suffix bytes 'k'");
    }

    @Test
    void anEmptyRootIsAnEmptyRepository() {
        Cid root = node(null);
        assertThat(MstWalker.walk(root, blocks::get, this::collect)).isEqualTo(new MstWalker.Result(0, 1, 0));
    }

    private void collect(String key, Cid value) {
        keys.add(key);
        values.add(value);
    }

    private static Cid value(String key) {
        return Cid.of(Cid.DAG_CBOR, key.getBytes(StandardCharsets.UTF_8));
    }

    private static Object[] entry(String key, Cid right) {
        return new Object[] {key, right};
    }

    /** Encodes a node with prefix-compressed keys, as the spec lays it out. */
    private Cid node(Cid left, Object[]... entries) {
        List<Object> e = new ArrayList<>();
        byte[] previous = new byte[0];
        for (Object[] entry : entries) {
            byte[] key = ((String) entry[0]).getBytes(StandardCharsets.US_ASCII);
            int prefix = java.util.Arrays.mismatch(previous, key);
            prefix = prefix < 0 ? key.length : prefix;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p", (long) prefix);
            m.put("k", java.util.Arrays.copyOfRange(key, prefix, key.length));
            m.put("v", value((String) entry[0]));
            m.put("t", entry[1]);
            e.add(m);
            previous = key;
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("l", left);
        node.put("e", e);
        return put(node);
    }

    private Cid put(Map<String, Object> node) {
        byte[] bytes = DagCborEncoder.encodeValue(node);
        Cid cid = Cid.of(Cid.DAG_CBOR, bytes);
        blocks.put(cid, bytes);
        return cid;
    }
}
