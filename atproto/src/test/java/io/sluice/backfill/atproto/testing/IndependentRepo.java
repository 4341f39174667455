package io.sluice.backfill.atproto.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a repository CAR holds, worked out without any production code: sections split and
 * digests checked by {@link RawCar}, blocks decoded by Jackson's CBOR module (an independent
 * CBOR implementation; tag-42 links arrive as byte strings {@code 0x00 + binary CID}), CIDs kept
 * as hex of their binary form.
 *
 * <p>Records are defined the way the repository spec defines them: the entries of the MST whose
 * root is the commit's {@code data} link. The tree is explored breadth-first, in no particular
 * order, rebuilding each node's keys from its own prefix compression (which needs nothing outside
 * the node); the production walker's ordering and layering logic is not reused.
 */
public final class IndependentRepo {

    public static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory()).enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final HexFormat HEX = HexFormat.of();

    /** One MST entry; {@code record} is null when the CAR lacks the record block. */
    public record Entry(String key, String cidHex, JsonNode record) {

        public String collection() {
            return key.substring(0, key.indexOf('/'));
        }
    }

    public final String did;
    public final JsonNode rev;
    /** Hex of the binary CID of the commit's {@code data} link: the MST root. */
    public final String dataRoot;
    public final long sections;
    public final long badDigests;
    /** Every MST entry reachable from the commit, in the order found (not sorted). */
    public final List<Entry> entries = new ArrayList<>();
    /** MST nodes and records the reachable tree references but the CAR lacks or holds corrupt. */
    public final long missing;
    /** CIDs of every intact block that decodes to a map with a string {@code $type}. */
    public final Set<String> typedBlocks = new HashSet<>();
    /** Intact blocks shaped like commits ({@code did}, {@code sig}, {@code data}). */
    public final long commitBlocks;

    public IndependentRepo(byte[] car) {
        RawCar.Car raw = RawCar.parse(car);
        Map<String, JsonNode> blocks = new HashMap<>();
        long bad = 0;
        long commits = 0;
        for (RawCar.Section s : raw.sections()) {
            if (!s.digestMatches()) {
                bad++;
                continue;
            }
            JsonNode node = decode(s.data());
            String cid = HEX.formatHex(s.cid());
            blocks.put(cid, node);
            if (node.path("$type").isTextual()) {
                typedBlocks.add(cid);
            }
            if (node.has("did") && node.has("sig") && node.has("data")) {
                commits++;
            }
        }
        sections = raw.sections().size();
        badDigests = bad;
        commitBlocks = commits;
        long absent = 0;

        JsonNode commit = blocks.get(link(decode(raw.header()).get("roots").get(0)));
        did = commit.get("did").asText();
        rev = commit.path("rev");
        dataRoot = link(commit.get("data"));
        Deque<String> nodes = new ArrayDeque<>(List.of(dataRoot));
        Set<String> seen = new HashSet<>();
        while (!nodes.isEmpty()) {
            String cid = nodes.pop();
            if (!seen.add(cid)) {
                continue;
            }
            JsonNode node = blocks.get(cid);
            if (node == null) {
                absent++;
                continue;
            }
            if (!node.get("l").isNull()) {
                nodes.add(link(node.get("l")));
            }
            byte[] previous = new byte[0];
            for (JsonNode e : node.get("e")) {
                byte[] suffix = binary(e.get("k"));
                int prefix = e.get("p").asInt();
                byte[] key = Arrays.copyOf(previous, prefix + suffix.length);
                System.arraycopy(suffix, 0, key, prefix, suffix.length);
                previous = key;
                String value = link(e.get("v"));
                JsonNode record = blocks.get(value);
                if (record == null) {
                    absent++;
                }
                entries.add(new Entry(new String(key, java.nio.charset.StandardCharsets.US_ASCII), value, record));
                if (!e.get("t").isNull()) {
                    nodes.add(link(e.get("t")));
                }
            }
        }
        missing = absent;
    }

    public static JsonNode decode(byte[] cbor) {
        try {
            return CBOR.readTree(cbor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex of the binary CID in a tag-42 link (dropping the 0x00 multibase prefix). */
    private static String link(JsonNode node) {
        byte[] bytes = binary(node);
        if (bytes[0] != 0) {
            throw new IllegalStateException("link without 0x00 prefix");
        }
        return HEX.formatHex(bytes, 1, bytes.length);
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
