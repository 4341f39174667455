package io.sluice.etl.generate;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static io.sluice.etl.generate.Vocabulary.pick;

/**
 * Generates the nested user documents of the MongoDB → PostgreSQL ETL workload, the shape of the
 * seed system's MongoUser: {@code _id} (int64), unique username and email, names, age, created and
 * updated dates, nested {@code address} (with coordinates), {@code profile} (education[],
 * experience[], interests, skills), {@code preferences} (notifications, settings),
 * {@code social_media} (posts[], groups[]), {@code large_data} (a few KB of text), and the arrays
 * {@code activity_log[]}, {@code transactions[]} (Decimal128 amounts) and {@code messages[]} (each
 * with {@code attachments[]}).
 *
 * <p>Guarantees: a user is a pure function of (seed, id), so any range of ids can be generated in
 * any order, by any number of workers, with the same result. Usernames and emails embed the id and
 * are unique. Array lengths are uniform per user so that the 15 tables hold 34.5 rows per user on
 * average: 10,000 users give about 345,000 rows, the seed system's dataset.
 */
public final class UserGenerator {

    /** Mean rows per user over the 15 tables: 7 one-per-user rows plus the arrays' mean lengths. */
    public static final double MEAN_ROWS_PER_USER = 7 + 1.5 + 2 + 6 + 5 + 4 + 4 + 3 + 2;

    /** Every document's dates lie after this instant (2024-01-01T00:00:00Z). */
    static final long EPOCH_MS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY_MS = 86_400_000L;
    private static final int LARGE_DATA_MIN_CHARS = 2_000;
    private static final int LARGE_DATA_MAX_CHARS = 4_000;

    private final long seed;

    public UserGenerator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The random stream of one user (and, with {@code version} > 0, of one of its updates). */
    SplittableRandom random(long id, int version) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + id) ^ mix(version + 0x632BE59BD9B4E019L));
    }

    /** The document of user {@code id} (ids from 1; child row ids are id * 10000 + index). */
    public BsonDocument user(long id) {
        if (id <= 0) throw new IllegalArgumentException("user ids start at 1, got " + id);
        SplittableRandom r = random(id, 0);
        String first = pick(r, Vocabulary.FIRST_NAMES);
        String last = pick(r, Vocabulary.LAST_NAMES);
        String username = (first + "." + last).toLowerCase().replace(' ', '_') + "." + id;
        long created = EPOCH_MS + r.nextLong(365 * DAY_MS);
        BsonDocument doc = new BsonDocument()
                .append("_id", new BsonInt64(id))
                .append("username", new BsonString(username))
                .append("email", new BsonString(username + "@example.com"))
                .append("first_name", new BsonString(first))
                .append("last_name", new BsonString(last))
                .append("age", new BsonInt32(18 + r.nextInt(63)))
                .append("created_at", new BsonDateTime(created))
                .append("updated_at", new BsonDateTime(created + r.nextLong(30 * DAY_MS)))
                .append("address", address(r))
                .append("profile", profile(r, created))
                .append("preferences", preferences(r))
                .append("activity_log", repeat(2 + r.nextInt(9), () -> activity(r, created)))
                .append("transactions", repeat(1 + r.nextInt(9), () -> transaction(r, created)))
                .append("messages", repeat(1 + r.nextInt(7), () -> message(r, username, created)))
                .append("social_media", socialMedia(r, username, created));
        doc.append("large_data", new BsonString(Vocabulary.text(r, LARGE_DATA_MIN_CHARS
                + r.nextInt(LARGE_DATA_MAX_CHARS - LARGE_DATA_MIN_CHARS))));
        return doc;
    }

    private static BsonDocument address(SplittableRandom r) {
        int city = r.nextInt(Vocabulary.CITIES.size());
        return new BsonDocument()
                .append("street", new BsonString((1 + r.nextInt(999)) + " " + pick(r, Vocabulary.STREETS)))
                .append("city", new BsonString(Vocabulary.CITIES.get(city)))
                .append("state", new BsonString(Vocabulary.STATES.get(city)))
                // a string with leading zeros kept, as real postal codes need
                .append("zip", new BsonString(String.format("%05d", r.nextInt(100_000))))
                .append("country", new BsonString(Vocabulary.COUNTRIES.get(city)))
                .append("coordinates", new BsonDocument()
                        .append("lat", new BsonDouble(Math.round((r.nextDouble() * 180 - 90) * 1e6) / 1e6))
                        .append("lng", new BsonDouble(Math.round((r.nextDouble() * 360 - 180) * 1e6) / 1e6)));
    }

    private static BsonDocument profile(SplittableRandom r, long created) {
        return new BsonDocument()
                .append("bio", new BsonString(Vocabulary.text(r, 80 + r.nextInt(120))))
                .append("avatar", new BsonString("https://avatars.example.com/" + Long.toHexString(r.nextLong()) + ".png"))
                .append("interests", strings(r, Vocabulary.INTERESTS, 1 + r.nextInt(4)))
                .append("skills", strings(r, Vocabulary.SKILLS, 1 + r.nextInt(5)))
                .append("education", repeat(r.nextInt(4), () -> education(r)))
                .append("experience", repeat(r.nextInt(5), () -> experience(r, created)));
    }

    private static BsonDocument education(SplittableRandom r) {
        int start = 1990 + r.nextInt(30);
        return new BsonDocument()
                .append("institution", new BsonString(pick(r, Vocabulary.INSTITUTIONS)))
                .append("degree", new BsonString(pick(r, Vocabulary.DEGREES)))
                .append("field", new BsonString(pick(r, Vocabulary.FIELDS)))
                .append("start_year", new BsonInt32(start))
                // one in five is still studying
                .append("end_year", r.nextInt(5) == 0 ? BsonNull.VALUE : new BsonInt32(start + 1 + r.nextInt(6)));
    }

    private static BsonDocument experience(SplittableRandom r, long created) {
        long start = created - (1 + r.nextInt(3650)) * DAY_MS;
        return new BsonDocument()
                .append("company", new BsonString(pick(r, Vocabulary.COMPANIES)))
                .append("title", new BsonString(pick(r, Vocabulary.TITLES)))
                .append("start_date", new BsonDateTime(start))
                .append("end_date", r.nextInt(4) == 0 ? BsonNull.VALUE : new BsonDateTime(start + (30 + r.nextInt(1500)) * DAY_MS))
                .append("description", new BsonString(Vocabulary.text(r, 60 + r.nextInt(100))));
    }

    private static BsonDocument preferences(SplittableRandom r) {
        return new BsonDocument()
                .append("theme", new BsonString(pick(r, Vocabulary.THEMES)))
                .append("language", new BsonString(pick(r, Vocabulary.LANGUAGES)))
                .append("notifications", new BsonDocument()
                        .append("email", BsonBoolean.valueOf(r.nextBoolean()))
                        .append("push", BsonBoolean.valueOf(r.nextBoolean()))
                        .append("sms", BsonBoolean.valueOf(r.nextBoolean())))
                .append("settings", new BsonDocument()
                        .append("privacy", new BsonString(pick(r, Vocabulary.PRIVACY)))
                        .append("two_factor", BsonBoolean.valueOf(r.nextBoolean()))
                        // keys the row schema does not name: they go to settings.extra (jsonb)
                        .append("font_size", new BsonInt32(10 + r.nextInt(10)))
                        .append("timezone", new BsonString("UTC" + (r.nextInt(25) - 12))));
    }

    static BsonDocument activity(SplittableRandom r, long created) {
        return new BsonDocument()
                .append("action", new BsonString(pick(r, Vocabulary.ACTIONS)))
                .append("ip", new BsonString(r.nextInt(8) == 0
                        ? "2001:db8::" + Integer.toHexString(r.nextInt(0xffff))
                        : "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)))
                .append("timestamp", new BsonDateTime(created + r.nextLong(400 * DAY_MS)));
    }

    static BsonDocument transaction(SplittableRandom r, long created) {
        BigDecimal amount = BigDecimal.valueOf(1 + r.nextLong(500_000), 2);
        return new BsonDocument()
                .append("amount", new BsonDecimal128(new Decimal128(amount)))
                .append("currency", new BsonString(pick(r, Vocabulary.CURRENCIES)))
                .append("status", new BsonString(pick(r, Vocabulary.STATUSES)))
                .append("timestamp", new BsonDateTime(created + r.nextLong(400 * DAY_MS)));
    }

    static BsonDocument message(SplittableRandom r, String username, long created) {
        return new BsonDocument()
                .append("from", new BsonString(username))
                .append("to", new BsonString("user" + (1 + r.nextInt(100_000)) + "@example.com"))
                .append("subject", new BsonString(Vocabulary.text(r, 20 + r.nextInt(30))))
                .append("body", new BsonString(Vocabulary.text(r, 100 + r.nextInt(300))))
                .append("sent_at", new BsonDateTime(created + r.nextLong(400 * DAY_MS)))
                .append("attachments", repeat(r.nextInt(3), () -> attachment(r)));
    }

    private static BsonDocument attachment(SplittableRandom r) {
        int type = r.nextInt(Vocabulary.MIME_TYPES.size());
        return new BsonDocument()
                .append("filename", new BsonString("file-" + Long.toHexString(r.nextLong() >>> 32) + "." + Vocabulary.EXTENSIONS.get(type)))
                .append("size", new BsonInt64(1 + r.nextLong(10_000_000)))
                .append("mime_type", new BsonString(Vocabulary.MIME_TYPES.get(type)));
    }

    private static BsonDocument socialMedia(SplittableRandom r, String username, long created) {
        String handle = username.replace('.', '_');
        return new BsonDocument()
                .append("twitter", new BsonString("@" + handle))
                .append("linkedin", new BsonString("https://linkedin.example.com/in/" + handle))
                .append("github", new BsonString(handle))
                .append("posts", repeat(r.nextInt(7), () -> new BsonDocument()
                        .append("content", new BsonString(Vocabulary.text(r, 40 + r.nextInt(200))))
                        .append("likes", new BsonInt32(r.nextInt(1000)))
                        .append("created_at", new BsonDateTime(created + r.nextLong(400 * DAY_MS)))))
                .append("groups", repeat(r.nextInt(5), () -> new BsonDocument()
                        .append("name", new BsonString(pick(r, Vocabulary.GROUPS)))
                        .append("role", new BsonString(pick(r, Vocabulary.ROLES)))
                        .append("joined_at", new BsonDateTime(created + r.nextLong(400 * DAY_MS)))));
    }

    private static BsonArray strings(SplittableRandom r, List<String> from, int count) {
        BsonArray out = new BsonArray();
        for (int i = 0; i < count; i++) {
            BsonString s = new BsonString(pick(r, from));
            if (!out.contains(s)) out.add(s);
        }
        return out;
    }

    static BsonArray repeat(int count, java.util.function.Supplier<BsonValue> element) {
        BsonArray out = new BsonArray();
        for (int i = 0; i < count; i++) out.add(element.get());
        return out;
    }

    /** Stafford's mix13: neighbouring ids get unrelated random streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
