package io.sluice.backfill.atproto.mst;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cid.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One decoded MST node: {@code {l: cid|null, e: [{p: prefix length, k: key suffix, v: value cid,
 * t: right subtree cid|null}]}}. Keys are prefix-compressed against the previous entry of the same
 * node, so they can be rebuilt from the node alone ({@link #keys()}).
 */
record MstNode(Cid left, List<Entry> entries) {

    record Entry(int prefixLength, byte[] suffix, Cid value, Cid right) {
    }

    static MstNode decode(Cid cid, byte[] data) {
        Map<String, Object> map;
        try {
            map = DagCborDecoder.decodeMap(data);
        } catch (AtprotoFormatException e) {
            throw new MstFormatException("MST node " + cid + " is not a DAG-CBOR map: " + e.getMessage(), e);
        }
        if (!(map.get("e") instanceof List<?> list)) {
            throw new MstFormatException("MST node " + cid + " has no entry array 'e'");
        }
        Cid left = optionalLink(map.get("l"), "l", cid);
        List<Entry> entries = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> e)) {
                throw new MstFormatException("MST node " + cid + " has an entry that is not a map");
            }
            if (!(e.get("p") instanceof Long p) || p < 0 || p > MstKeys.MAX_KEY_LENGTH) {
                throw new MstFormatException("MST node " + cid + " entry " + entries.size() + " has no valid prefix length 'p'");
            }
            if (!(e.get("k") instanceof byte[] k)) {
                throw new MstFormatException("MST node " + cid + " entry " + entries.size() + " has no key suffix bytes 'k'");
            }
            if (!(e.get("v") instanceof Cid v)) {
                throw new MstFormatException("MST node " + cid + " entry " + entries.size() + " has no value link 'v'");
            }
            entries.add(new Entry(p.intValue(), k, v, optionalLink(e.get("t"), "t", cid)));
        }
        return new MstNode(left, entries);
    }

    /** The full keys of the entries, rebuilt from the prefix compression. */
    byte[][] keys(Cid cid) {
        byte[][] keys = new byte[entries.size()][];
        byte[] previous = new byte[0];
        for (int i = 0; i < keys.length; i++) {
            Entry e = entries.get(i);
            if (e.prefixLength() > previous.length) {
                throw new MstFormatException("MST node " + cid + " entry " + i + " shares " + e.prefixLength()
                        + " bytes with a previous key of only " + previous.length);
            }
            byte[] key = new byte[e.prefixLength() + e.suffix().length];
            System.arraycopy(previous, 0, key, 0, e.prefixLength());
            System.arraycopy(e.suffix(), 0, key, e.prefixLength(), e.suffix().length);
            keys[i] = key;
            previous = key;
        }
        return keys;
    }

    private static Cid optionalLink(Object value, String field, Cid node) {
        if (value == null || value instanceof Cid) {
            return (Cid) value;
        }
        throw new MstFormatException("MST node " + node + " field '" + field + "' is neither a CID link nor null");
    }
}
