package io.sluice.backfill.atproto.mst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.testing.Fixtures;
import io.sluice.backfill.atproto.testing.IndependentRepo;
import io.sluice.backfill.atproto.testing.RawCar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MstBuilderTest {

    /** The value every key maps to in the atproto MST interop vectors (mst.test.ts). */
    private static final Cid VALUE = Cid.parse("bafyreie5cvv4h45feadgeuwhbcutmh6t2ceseocckahdoe6uat64zmz454");
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesTheInteropRootCids() throws IOException {
        assertThat(root()).isEqualTo("bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm");
        assertThat(root("3jqfcqzm3fo2j")).isEqualTo("bafyreibj4lsc3aqnrvphp5xmrnfoorvru4wynt6lwidqbm2623a6tatzdu");
        assertThat(root("3jqfcqzm3fx2j")).isEqualTo("bafyreih7wfei65pxzhauoibu3ls7jgmkju4bspy4t2ha2qdjnzqvoy33ai");
        assertThat(root("3jqfcqzm3fp2j", "3jqfcqzm3fr2j", "3jqfcqzm3fs2j", "3jqfcqzm3ft2j", "3jqfcqzm4fc2j"))
                .isEqualTo("bafyreicmahysq4n6wfuxo522m6dpiy7z7qzym3dzs756t5n7nfdgccwq7m");
    }

    @Test
    void buildsEmptyIntermediateNodesLikeTheReference() throws IOException {
        assertThat(root("3jqfcqzm3ft2j", "3jqfcqzm3fz2j"))
                .isEqualTo("bafyreidfcktqnfmykz2ps3dbul35pepleq7kvv526g47xahuz3rqtptmky");
        assertThat(root("3jqfcqzm3ft2j", "3jqfcqzm3fx2j", "3jqfcqzm3fz2j"))
                .isEqualTo("bafyreiavxaxdz7o7rbvr3zg2liox2yww46t7g6hkehx4i4h3lwudly7dhy");
        assertThat(root("3jqfcqzm3ft2j", "3jqfcqzm3fx2j", "3jqfcqzm3fz2j", "3jqfcqzm4fd2j"))
                .isEqualTo("bafyreig4jv3vuajbsybhyvb7gggvpwh2zszwfyttjrj6qwvcsp24h6popu");
        assertThat(root("3jqfcqzm3fn2j", "3jqfcqzm3fo2j", "3jqfcqzm3fp2j", "3jqfcqzm3fs2j", "3jqfcqzm3ft2j", "3jqfcqzm3fu2j"))
                .isEqualTo("bafyreifnqrwbk6ffmyaz5qtujqrzf5qmxf7cbxvgzktl4e3gabuxbtatv4");
        assertThat(root("3jqfcqzm3fo2j", "3jqfcqzm3fp2j", "3jqfcqzm3fr2j", "3jqfcqzm3fs2j", "3jqfcqzm3ft2j",
                "3jqfcqzm3fx2j", "3jqfcqzm3fz2j", "3jqfcqzm4fc2j", "3jqfcqzm4fd2j", "3jqfcqzm4ff2j", "3jqfcqzm4fg2j",
                "3jqfcqzm4fh2j")).isEqualTo("bafyreid2x5eqs4w4qxvc5jiwda4cien3gw2q6cshofxwnvv7iucrmfohpm");
    }

    /** Rebuilding a real PDS's tree from its entries must give its root and exactly its node blocks. */
    @ParameterizedTest
    @ValueSource(strings = {"greenground.repo.car", "fakermaker.repo.car",
            "bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car"})
    void rebuildsARealRepositoryTreeExactly(String name) throws IOException {
        byte[] car = Fixtures.bytes("car/" + name);
        IndependentRepo repo = new IndependentRepo(car);
        Set<String> carBlocks = RawCar.parse(car).sections().stream().map(s -> HEX.formatHex(s.cid()))
                .collect(Collectors.toSet());
        Map<String, byte[]> emitted = new HashMap<>();
        MstBuilder builder = new MstBuilder((cid, data, off, len) -> emitted.put(HEX.formatHex(cid.toBytes()), new byte[len]));
        for (IndependentRepo.Entry e : repo.entries.stream().sorted(Comparator.comparing(IndependentRepo.Entry::key)).toList()) {
            builder.add(e.key(), Cid.decode(HEX.parseHex(e.cidHex())));
        }
        Cid root = builder.finish();

        assertThat(HEX.formatHex(root.toBytes())).isEqualTo(repo.dataRoot);
        assertThat(carBlocks).containsAll(emitted.keySet());
        assertThat(builder.nodes()).isEqualTo(emitted.size());
    }

    @Test
    void rejectsKeysOutOfOrderOrInvalid() throws IOException {
        MstBuilder builder = new MstBuilder((cid, data, off, len) -> { });
        builder.add("app.bsky.feed.post/b", VALUE);
        assertThatThrownBy(() -> builder.add("app.bsky.feed.post/b", VALUE)).hasMessageContaining("strictly ascending");
        assertThatThrownBy(() -> builder.add("app.bsky.feed.post/a", VALUE)).hasMessageContaining("strictly ascending");
        assertThatThrownBy(() -> builder.add("no-slash", VALUE)).hasMessageContaining("invalid MST key");
    }

    @Test
    void holdsOnlyOpenNodesWhileStreaming() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        MstBuilder builder = new MstBuilder((cid, data, off, len) -> sizes.add(len));
        for (int i = 0; i < 20_000; i++) {
            builder.add("app.bsky.feed.like/k" + String.format("%08d", i), VALUE);
        }
        builder.finish();
        // fanout 4: about a third as many nodes as keys, none of them large
        assertThat(builder.nodes()).isBetween(20_000L / 6, 20_000L / 2);
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThan(8 * 1024);
    }

    private static String root(String... rkeys) throws IOException {
        MstBuilder builder = new MstBuilder((cid, data, off, len) -> { });
        for (String rkey : rkeys) {
            builder.add("com.example.record/" + rkey, VALUE);
        }
        return builder.finish().toString();
    }
}
