package io.sluice.etl.pipeline.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the 15 tables must hold for a set of user documents, worked out here from the documents alone,
 * column by column in the DDL's order, without the flattener or the sink's column mapping: so a test
 * comparing these with the stored tables checks the whole path, not the code against itself.
 *
 * <p>The mapping, as DESIGN.md and the DDL state it: one users row per document; one row per nested
 * object (address, profile, preferences, settings, social_media, large_data) with id {@code user*10000};
 * one row per array element (education, experience, activity_log, transactions, messages, posts,
 * groups) with id {@code user*10000 + index}; attachments numbered across all of a user's messages in
 * document order; coordinates, interests, skills and the settings' unnamed keys as JSON.
 */
public final class ExpectedTables {

    private static final long FACTOR = 10_000;

    private ExpectedTables() {
    }

    /** Canonical rows per table (see {@link TableRows}), for the live documents. */
    public static TableRows of(Collection<BsonDocument> documents) {
        TableRows t = new TableRows();
        for (BsonDocument d : documents) {
            long u = d.getInt64("_id").getValue();
            long base = u * FACTOR;
            t.add("users", u, u, str(d, "username"), str(d, "email"), str(d, "first_name"), str(d, "last_name"),
                    d.getInt32("age").getValue(), instant(d.get("created_at")), instant(d.get("updated_at")));
            if (d.containsKey("address")) {
                BsonDocument a = d.getDocument("address");
                t.add("addresses", base, base, u, str(a, "street"), str(a, "city"), str(a, "state"), str(a, "zip"),
                        str(a, "country"), json(a.get("coordinates")));
            }
            BsonDocument p = d.getDocument("profile");
            t.add("profiles", base, base, u, str(p, "bio"), str(p, "avatar"), json(p.get("interests")), json(p.get("skills")));
            forEach(p.getArray("education"), (i, e) -> t.add("education", base + i, base + i, u, str(e, "institution"),
                    str(e, "degree"), str(e, "field"), int32(e.get("start_year")), int32(e.get("end_year"))));
            forEach(p.getArray("experience"), (i, e) -> t.add("experience", base + i, base + i, u, str(e, "company"),
                    str(e, "title"), date(e.get("start_date")), date(e.get("end_date")), str(e, "description")));
            BsonDocument pref = d.getDocument("preferences");
            BsonDocument n = pref.getDocument("notifications");
            t.add("preferences", base, base, u, str(pref, "theme"), str(pref, "language"), n.getBoolean("email").getValue(),
                    n.getBoolean("push").getValue(), n.getBoolean("sms").getValue());
            BsonDocument s = pref.getDocument("settings");
            BsonDocument extra = new BsonDocument();
            s.forEach((k, v) -> {
                if (!k.equals("privacy") && !k.equals("two_factor")) extra.put(k, v);
            });
            t.add("settings", base, base, u, str(s, "privacy"), s.getBoolean("two_factor").getValue(),
                    extra.isEmpty() ? null : json(extra));
            forEach(d.getArray("activity_log"), (i, a) -> t.add("activity_log", base + i, base + i, u, str(a, "action"),
                    str(a, "ip"), instant(a.get("timestamp"))));
            forEach(d.getArray("transactions"), (i, x) -> t.add("transactions", base + i, base + i, u,
                    x.getDecimal128("amount").getValue().bigDecimalValue(), str(x, "currency"), str(x, "status"),
                    instant(x.get("timestamp"))));
            int[] attachment = {0};
            forEach(d.getArray("messages"), (i, m) -> {
                t.add("messages", base + i, base + i, u, str(m, "from"), str(m, "to"), str(m, "subject"), str(m, "body"),
                        instant(m.get("sent_at")));
                forEach(m.getArray("attachments"), (j, a) -> {
                    long id = base + attachment[0]++;
                    t.add("attachments", id, id, base + i, u, str(a, "filename"), a.getInt64("size").getValue(),
                            str(a, "mime_type"));
                });
            });
            BsonDocument sm = d.getDocument("social_media");
            t.add("social_media", base, base, u, str(sm, "twitter"), str(sm, "linkedin"), str(sm, "github"));
            forEach(sm.getArray("posts"), (i, x) -> t.add("posts", base + i, base + i, u, str(x, "content"),
                    x.getInt32("likes").getValue(), instant(x.get("created_at"))));
            forEach(sm.getArray("groups"), (i, g) -> t.add("groups", base + i, base + i, u, str(g, "name"), str(g, "role"),
                    instant(g.get("joined_at"))));
            t.add("large_data", base, base, u, str(d, "large_data"));
        }
        return t;
    }

    private interface Element {
        void accept(int index, BsonDocument element);
    }

    private static void forEach(BsonArray array, Element action) {
        for (int i = 0; i < array.size(); i++) action.accept(i, array.get(i).asDocument());
    }

    private static String str(BsonDocument d, String key) {
        BsonValue v = d.get(key);
        return v == null || v.isNull() ? null : v.asString().getValue();
    }

    private static Integer int32(BsonValue v) {
        return v == null || v.isNull() ? null : v.asInt32().getValue();
    }

    private static Instant instant(BsonValue v) {
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(v.asDateTime().getValue());
    }

    private static LocalDate date(BsonValue v) {
        return v == null || v.isNull() ? null : LocalDate.ofInstant(Instant.ofEpochMilli(v.asDateTime().getValue()), ZoneOffset.UTC);
    }

    /** A document or array as a JSON tree, numbers exact, so it compares with what jsonb stored. */
    private static JsonNode json(BsonValue v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (v.getBsonType()) {
            case DOCUMENT -> {
                ObjectNode o = f.objectNode();
                for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) o.set(e.getKey(), json(e.getValue()));
                yield o;
            }
            case ARRAY -> {
                ArrayNode a = f.arrayNode();
                List<JsonNode> items = new ArrayList<>();
                for (BsonValue item : v.asArray()) items.add(json(item));
                a.addAll(items);
                yield a;
            }
            case STRING -> f.textNode(v.asString().getValue());
            case INT32 -> f.numberNode(BigDecimal.valueOf(v.asInt32().getValue()));
            case INT64 -> f.numberNode(BigDecimal.valueOf(v.asInt64().getValue()));
            case DOUBLE -> f.numberNode(new BigDecimal(Double.toString(v.asDouble().getValue())));
            case BOOLEAN -> f.booleanNode(v.asBoolean().getValue());
            default -> throw new IllegalArgumentException("the generator puts no " + v.getBsonType() + " into a JSON column");
        };
    }
}
