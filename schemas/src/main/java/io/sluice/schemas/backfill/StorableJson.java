package io.sluice.schemas.backfill;

import java.nio.ByteBuffer;

/**
 * The rule that makes every atproto record storable in {@code repo_records} (see V7__backfill_partial.sql):
 * PostgreSQL's jsonb cannot hold U+0000, which a DAG-CBOR text string may contain, so each U+0000 in a
 * JSON string or key is escaped as the six characters {@code \u0000} (the JSON escape {@code \u0000}
 * becomes {@code \\u0000}), and the record's exact DAG-CBOR bytes travel beside it in
 * {@link RepoRecord#getRecordCbor()}. Every other record passes unchanged and without its CBOR, so the
 * common path costs one search of the JSON text.
 *
 * <p>Works on JSON text as Jackson writes it: U+0000 is always written as the escape {@code \u0000}
 * (JSON forbids it raw), and a backslash occurs only inside strings, as the start of an escape.
 */
public final class StorableJson {

    private static final String NUL_ESCAPE = "\\u0000";

    private StorableJson() {
    }

    /** The RepoRecord of a record whose atproto JSON is {@code json} and whose block is {@code cbor}. */
    public static RepoRecord.Builder apply(RepoRecord.Builder record, String json, byte[] cbor) {
        String stored = escape(json);
        return record.setRecordJson(stored).setRecordCbor(stored == json ? null : ByteBuffer.wrap(cbor));
    }

    /** {@code json} with every U+0000 escaped, or {@code json} itself (the same instance) when it has none. */
    public static String escape(String json) {
        int first = json.indexOf(NUL_ESCAPE);
        if (first < 0) return json;
        StringBuilder out = null;
        int copied = 0;
        // From the start: the first match may be the tail of an escaped backslash ("\\u0000" is text, not U+0000).
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) != '\\') continue;
            if (json.startsWith(NUL_ESCAPE, i)) {
                if (out == null) out = new StringBuilder(json.length() + 16);
                out.append(json, copied, i).append('\\').append(NUL_ESCAPE);
                copied = i + NUL_ESCAPE.length();
                i = copied - 1;
            } else {
                i++; // skip the escaped character, which may itself be a backslash
            }
        }
        if (out == null) return json;
        return out.append(json, copied, json.length()).toString();
    }
}
