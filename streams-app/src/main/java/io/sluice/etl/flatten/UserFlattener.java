package io.sluice.etl.flatten;

import io.sluice.schemas.etl.ActivityLogRow;
import io.sluice.schemas.etl.AddressRow;
import io.sluice.schemas.etl.AttachmentRow;
import io.sluice.schemas.etl.EducationRow;
import io.sluice.schemas.etl.ExperienceRow;
import io.sluice.schemas.etl.GroupRow;
import io.sluice.schemas.etl.LargeDataRow;
import io.sluice.schemas.etl.MessageRow;
import io.sluice.schemas.etl.PostRow;
import io.sluice.schemas.etl.PreferencesRow;
import io.sluice.schemas.etl.ProfileRow;
import io.sluice.schemas.etl.SettingsRow;
import io.sluice.schemas.etl.SocialMediaRow;
import io.sluice.schemas.etl.TransactionRow;
import io.sluice.schemas.etl.UserRow;
import io.sluice.schemas.etl.UserRows;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.etl.flatten.DocumentFields.array;
import static io.sluice.etl.flatten.DocumentFields.bool;
import static io.sluice.etl.flatten.DocumentFields.date;
import static io.sluice.etl.flatten.DocumentFields.decimalText;
import static io.sluice.etl.flatten.DocumentFields.document;
import static io.sluice.etl.flatten.DocumentFields.element;
import static io.sluice.etl.flatten.DocumentFields.instant;
import static io.sluice.etl.flatten.DocumentFields.int32;
import static io.sluice.etl.flatten.DocumentFields.int64;
import static io.sluice.etl.flatten.DocumentFields.json;
import static io.sluice.etl.flatten.DocumentFields.string;

/**
 * Flattens one user document into its rows in the 15 tables: a pure function, no I/O.
 *
 * <p>Consumes a parsed MongoDB user document; produces one {@link UserRows} bundle with every
 * table's rows for that user. Guarantees: row ids are {@code user_id * 10000 + index} (for
 * attachments, the index counts all the user's attachments in document order), so the same
 * document always gives the same rows and an update replaces rows in place; a nested object that is
 * absent gives no row in its table; interests, skills, coordinates and unnamed settings become JSON
 * text for jsonb columns. A document that does not fit (wrong types, a non-integer {@code _id}, an
 * array of 10,000 or more elements) is an {@link UnmappableDocumentException} naming the field.
 */
public final class UserFlattener {

    /** Child row ids are user_id * ROW_ID_FACTOR + index, so an array holds at most this many elements. */
    public static final long ROW_ID_FACTOR = 10_000;

    private UserFlattener() {
    }

    /** The user id of a document: its {@code _id}, which must be an integer. */
    public static long userId(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id == null) throw new UnmappableDocumentException("_id is missing");
        return DocumentFields.integral(id, "_id");
    }

    /** All rows of {@code doc}; {@code sourceTs} is when the change happened in MongoDB. */
    public static UserRows flatten(BsonDocument doc, Instant sourceTs) {
        long userId = userId(doc);
        rowId(userId, 0); // fails early when user ids are too large for child row ids
        UserRows rows = emptyRows(userId, false, sourceTs);
        rows.getUsers().add(new UserRow(userId, string(doc, "username", ""), string(doc, "email", ""),
                string(doc, "first_name", ""), string(doc, "last_name", ""), int32(doc, "age", ""),
                instant(doc, "created_at", ""), instant(doc, "updated_at", "")));
        address(doc, userId, rows);
        profile(doc, userId, rows);
        preferences(doc, userId, rows);
        activity(doc, userId, rows);
        transactions(doc, userId, rows);
        messages(doc, userId, rows);
        social(doc, userId, rows);
        largeData(doc, userId, rows);
        return rows;
    }

    /** The bundle that deletes all of a user's rows. */
    public static UserRows deleted(long userId, Instant sourceTs) {
        return emptyRows(userId, true, sourceTs);
    }

    private static void address(BsonDocument doc, long userId, UserRows rows) {
        BsonDocument a = document(doc, "address", "");
        if (a == null) return;
        String p = "address";
        rows.getAddresses().add(new AddressRow(rowId(userId, 0), userId, string(a, "street", p), string(a, "city", p),
                string(a, "state", p), zip(a), string(a, "country", p), json(a, "coordinates")));
    }

    /** Zip codes are text; a number is kept as its digits (a leading zero it lost cannot be restored). */
    private static String zip(BsonDocument address) {
        BsonValue v = address.get("zip");
        if (v != null && (v.isInt32() || v.isInt64())) return Long.toString(DocumentFields.integral(v, "address.zip"));
        return string(address, "zip", "address");
    }

    private static void profile(BsonDocument doc, long userId, UserRows rows) {
        BsonDocument pr = document(doc, "profile", "");
        if (pr == null) return;
        String p = "profile";
        rows.getProfiles().add(new ProfileRow(rowId(userId, 0), userId, string(pr, "bio", p), string(pr, "avatar", p),
                json(pr, "interests"), json(pr, "skills")));
        BsonArray education = array(pr, "education", p);
        for (int i = 0; i < education.size(); i++) {
            BsonDocument e = element(education, i, "profile.education");
            String ep = "profile.education[" + i + "]";
            rows.getEducation().add(new EducationRow(rowId(userId, i), userId, string(e, "institution", ep),
                    string(e, "degree", ep), string(e, "field", ep), int32(e, "start_year", ep), int32(e, "end_year", ep)));
        }
        BsonArray experience = array(pr, "experience", p);
        for (int i = 0; i < experience.size(); i++) {
            BsonDocument e = element(experience, i, "profile.experience");
            String ep = "profile.experience[" + i + "]";
            rows.getExperience().add(new ExperienceRow(rowId(userId, i), userId, string(e, "company", ep),
                    string(e, "title", ep), date(e, "start_date", ep), date(e, "end_date", ep), string(e, "description", ep)));
        }
    }

    private static void preferences(BsonDocument doc, long userId, UserRows rows) {
        BsonDocument pref = document(doc, "preferences", "");
        if (pref == null) return;
        String p = "preferences";
        BsonDocument n = document(pref, "notifications", p);
        String np = "preferences.notifications";
        rows.getPreferences().add(new PreferencesRow(rowId(userId, 0), userId, string(pref, "theme", p),
                string(pref, "language", p), bool(n, "email", np), bool(n, "push", np), bool(n, "sms", np)));
        BsonDocument s = document(pref, "settings", p);
        if (s == null) return;
        BsonDocument extra = new BsonDocument();
        s.forEach((k, v) -> {
            if (!k.equals("privacy") && !k.equals("two_factor")) extra.append(k, v);
        });
        rows.getSettings().add(new SettingsRow(rowId(userId, 0), userId, string(s, "privacy", "preferences.settings"),
                bool(s, "two_factor", "preferences.settings"), extra.isEmpty() ? null : MongoExtendedJson.toPlainJson(extra)));
    }

    private static void activity(BsonDocument doc, long userId, UserRows rows) {
        BsonArray log = array(doc, "activity_log", "");
        for (int i = 0; i < log.size(); i++) {
            BsonDocument a = element(log, i, "activity_log");
            String p = "activity_log[" + i + "]";
            rows.getActivityLog().add(new ActivityLogRow(rowId(userId, i), userId, string(a, "action", p), string(a, "ip", p),
                    instant(a, "timestamp", p)));
        }
    }

    private static void transactions(BsonDocument doc, long userId, UserRows rows) {
        BsonArray txs = array(doc, "transactions", "");
        for (int i = 0; i < txs.size(); i++) {
            BsonDocument t = element(txs, i, "transactions");
            String p = "transactions[" + i + "]";
            rows.getTransactions().add(new TransactionRow(rowId(userId, i), userId, decimalText(t, "amount", p),
                    string(t, "currency", p), string(t, "status", p), instant(t, "timestamp", p)));
        }
    }

    private static void messages(BsonDocument doc, long userId, UserRows rows) {
        BsonArray messages = array(doc, "messages", "");
        int attachmentIndex = 0;
        for (int i = 0; i < messages.size(); i++) {
            BsonDocument m = element(messages, i, "messages");
            String p = "messages[" + i + "]";
            long messageId = rowId(userId, i);
            rows.getMessages().add(new MessageRow(messageId, userId, string(m, "from", p), string(m, "to", p),
                    string(m, "subject", p), string(m, "body", p), instant(m, "sent_at", p)));
            BsonArray attachments = array(m, "attachments", p);
            for (int j = 0; j < attachments.size(); j++) {
                BsonDocument a = element(attachments, j, p + ".attachments");
                String ap = p + ".attachments[" + j + "]";
                rows.getAttachments().add(new AttachmentRow(rowId(userId, attachmentIndex++), messageId, userId,
                        string(a, "filename", ap), int64(a, "size", ap), string(a, "mime_type", ap)));
            }
        }
    }

    private static void social(BsonDocument doc, long userId, UserRows rows) {
        BsonDocument s = document(doc, "social_media", "");
        if (s == null) return;
        String p = "social_media";
        rows.getSocialMedia().add(new SocialMediaRow(rowId(userId, 0), userId, string(s, "twitter", p),
                string(s, "linkedin", p), string(s, "github", p)));
        BsonArray posts = array(s, "posts", p);
        for (int i = 0; i < posts.size(); i++) {
            BsonDocument post = element(posts, i, "social_media.posts");
            String pp = "social_media.posts[" + i + "]";
            rows.getPosts().add(new PostRow(rowId(userId, i), userId, string(post, "content", pp), int32(post, "likes", pp),
                    instant(post, "created_at", pp)));
        }
        BsonArray groups = array(s, "groups", p);
        for (int i = 0; i < groups.size(); i++) {
            BsonDocument g = element(groups, i, "social_media.groups");
            String gp = "social_media.groups[" + i + "]";
            rows.getGroups().add(new GroupRow(rowId(userId, i), userId, string(g, "name", gp), string(g, "role", gp),
                    instant(g, "joined_at", gp)));
        }
    }

    private static void largeData(BsonDocument doc, long userId, UserRows rows) {
        BsonValue v = doc.get("large_data");
        if (v == null || v.isNull()) return;
        String content;
        if (v.isString()) content = v.asString().getValue();
        else if (v.isDocument()) content = MongoExtendedJson.toPlainJson(v);
        else throw new UnmappableDocumentException("large_data is a " + v.getBsonType().name().toLowerCase()
                + "; allowed: string, document");
        rows.getLargeData().add(new LargeDataRow(rowId(userId, 0), userId, content));
    }

    static long rowId(long userId, int index) {
        if (index >= ROW_ID_FACTOR) {
            throw new UnmappableDocumentException("an array of user " + userId + " has more than " + ROW_ID_FACTOR
                    + " elements; row ids user_id * " + ROW_ID_FACTOR + " + index would collide");
        }
        try {
            return Math.addExact(Math.multiplyExact(userId, ROW_ID_FACTOR), index);
        } catch (ArithmeticException e) {
            throw new UnmappableDocumentException("user id " + userId + " is too large for row ids user_id * " + ROW_ID_FACTOR
                    + " + index", e);
        }
    }

    private static UserRows emptyRows(long userId, boolean deleted, Instant sourceTs) {
        return new UserRows(userId, deleted, sourceTs, null, new ArrayList<>(1), new ArrayList<>(1), new ArrayList<>(1),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(1), new ArrayList<>(1), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(1), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(1));
    }

    /** How many rows the bundle holds over all 15 tables. */
    public static int rowCount(UserRows rows) {
        List<List<?>> tables = List.of(rows.getUsers(), rows.getAddresses(), rows.getProfiles(), rows.getEducation(),
                rows.getExperience(), rows.getPreferences(), rows.getSettings(), rows.getActivityLog(), rows.getTransactions(),
                rows.getMessages(), rows.getAttachments(), rows.getSocialMedia(), rows.getPosts(), rows.getGroups(),
                rows.getLargeData());
        return tables.stream().mapToInt(List::size).sum();
    }
}
