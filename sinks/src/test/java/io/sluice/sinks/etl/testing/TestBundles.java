package io.sluice.sinks.etl.testing;

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

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic {@link UserRows} bundles, as the flattener would produce them: every one of the 15
 * tables populated, ids {@code user_id * 10000 + index}, about 40 rows per user. The array sizes and
 * the values depend on the version, so a newer version grows some arrays and shrinks others. Values
 * cover NULLs, non-ASCII text, negative and fractional amounts; JSON is written in jsonb's own output
 * form so the stored text can be compared as is.
 */
public final class TestBundles {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final List<String> WORDS = List.of("the", "stream", "of", "events", "flows", "through", "a", "log",
            "that", "never", "forgets", "each", "record", "carries", "its", "key", "and", "value", "into", "tables", "where",
            "rows", "wait", "for", "queries", "from", "users", "who", "care", "about", "order", "consistency", "time");

    private TestBundles() {
    }

    /** Username and email follow the user id, so distinct users never collide. */
    public static UserRows bundle(long userId, int version) {
        long base = userId * 10000;
        int v = version;
        Instant at = T0.plusSeconds(userId * 60 + v).plusMillis(userId % 1000);
        List<MessageRow> messages = new ArrayList<>();
        List<AttachmentRow> attachments = new ArrayList<>();
        for (int i = 0; i < size(userId, v, 7, 2, 5); i++) {
            long messageId = base + i;
            messages.add(new MessageRow(messageId, userId, "user" + userId, "friend" + (i + v), i % 4 == 3 ? null : "subject " + i,
                    "Hello " + i + " from v" + v + " ✉", at.plusSeconds(3600L * i)));
            for (int a = 0; a < (int) ((userId + i + v) % 3); a++) {
                attachments.add(new AttachmentRow(base + attachments.size(), messageId, userId, "file-" + i + "-" + a + ".png",
                        a == 1 ? null : 1024L * (i + 1) + a, "image/png"));
            }
        }
        return UserRows.newBuilder()
                .setUserId(userId)
                .setDeleted(false)
                .setSourceTs(at)
                .setSourceOrd(v)
                .setUsers(List.of(new UserRow(userId, "user" + userId, "user" + userId + "@example.com",
                        userId % 5 == 0 ? "Zoë" : "First" + userId, "Last" + v, userId % 11 == 0 ? null : (int) (18 + (userId + v) % 60),
                        T0.plusSeconds(userId), at)))
                .setAddresses(List.of(new AddressRow(base, userId, v + " Main St", "City " + (userId % 50), "CA",
                        String.format("%05d", (userId * 7 + v) % 100000), "US",
                        "{\"lat\": " + (userId % 90) + "." + v + ", \"lng\": -" + (userId % 180) + ".25}")))
                .setProfiles(List.of(new ProfileRow(base, userId, userId % 3 == 0 ? null : "Bio of " + userId + " v" + v,
                        "https://img.example.com/" + userId + ".png", "[\"chess\", \"hiking " + v + "\"]", "[\"java\", \"sql\"]")))
                .setEducation(list(size(userId, v, 3, 1, 3), i -> new EducationRow(base + i, userId, "University " + i, "BSc",
                        "Field " + v, 2000 + i, i % 2 == 0 ? 2004 + i : null)))
                .setExperience(list(size(userId, v, 5, 1, 4), i -> new ExperienceRow(base + i, userId, "Company " + i, "Engineer",
                        LocalDate.of(2010 + i, 1 + i, 1), i == 0 ? null : LocalDate.of(2011 + i, 2, 28),
                        i % 2 == 1 ? null : "did things, v" + v)))
                .setPreferences(List.of(new PreferencesRow(base, userId, v % 2 == 0 ? "dark" : "light", "en", true, v % 2 == 1,
                        userId % 4 == 0 ? null : false)))
                .setSettings(List.of(new SettingsRow(base, userId, "friends", userId % 2 == 0,
                        userId % 6 == 0 ? null : "{\"font_size\": " + (12 + v) + ", \"session_timeout\": 30}")))
                .setActivityLog(list(size(userId, v, 11, 5, 15), i -> new ActivityLogRow(base + i, userId, i % 2 == 0 ? "login" : "view",
                        i % 5 == 0 ? "2001:db8::" + i : "10.0." + v + "." + i, at.minusSeconds(60L * i))))
                .setTransactions(list(size(userId, v, 6, 3, 8), i -> new TransactionRow(base + i, userId, amount(userId, v, i),
                        "USD", i % 3 == 0 ? "pending" : "completed", at.plusMillis(i))))
                .setMessages(messages)
                .setAttachments(attachments)
                .setSocialMedia(List.of(new SocialMediaRow(base, userId, "@user" + userId, null, "user" + userId)))
                .setPosts(list(size(userId, v, 5, 1, 5), i -> new PostRow(base + i, userId, "Post " + i + " 🚀 v" + v,
                        i % 3 == 0 ? null : i * 10 + v, at.minusSeconds(86_400L * i))))
                .setGroups(list(size(userId, v, 3, 1, 3), i -> new GroupRow(base + i, userId, "group-" + i,
                        i == 0 ? "admin" : "member", at.minusSeconds(7L * i))))
                .setLargeData(List.of(new LargeDataRow(base, userId, text(userId * 31 + v, 2_000 + (int) ((userId * 997 + v) % 2_000)))))
                .build();
    }

    /** The bundle of a deleted user: the flag and no rows, at a position after every {@link #bundle} version below 50. */
    public static UserRows deleted(long userId) {
        return UserRows.newBuilder().setUserId(userId).setDeleted(true)
                .setSourceTs(T0.plusSeconds(userId * 60 + 50).plusMillis(userId % 1000)).setSourceOrd(0).build();
    }

    /** The bundle with another username and email, for constraint tests. */
    public static UserRows withIdentity(UserRows bundle, String username, String email) {
        UserRow user = bundle.getUsers().getFirst();
        UserRow changed = UserRow.newBuilder(user).setUsername(username).setEmail(email).build();
        return UserRows.newBuilder(bundle).setUsers(List.of(changed)).build();
    }

    /** The total number of rows of a bundle, over all tables. */
    public static int rowCount(UserRows b) {
        return b.getUsers().size() + b.getAddresses().size() + b.getProfiles().size() + b.getEducation().size()
                + b.getExperience().size() + b.getPreferences().size() + b.getSettings().size() + b.getActivityLog().size()
                + b.getTransactions().size() + b.getMessages().size() + b.getAttachments().size() + b.getSocialMedia().size()
                + b.getPosts().size() + b.getGroups().size() + b.getLargeData().size();
    }

    /** Words drawn from a small vocabulary, about {@code chars} long: compressible as the generator's large_data. */
    private static String text(long seed, int chars) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(chars + 16);
        while (out.length() < chars) {
            if (!out.isEmpty()) out.append(' ');
            out.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return out.toString();
    }

    /** Decimal text with 0 to 4 places, some negative, some zero. */
    private static String amount(long userId, int v, int i) {
        long cents = ((userId * 7919 + v * 104_729L + i * 1_299_709L) % 2_000_000) - 300_000;
        return switch ((int) ((userId + i) % 4)) {
            case 0 -> java.math.BigDecimal.valueOf(cents, 2).toPlainString();   // 1234.50
            case 1 -> java.math.BigDecimal.valueOf(cents, 4).toPlainString();   // 12.3450
            case 2 -> Long.toString(cents / 100);                               // 1234
            default -> i == 0 ? "0.00" : java.math.BigDecimal.valueOf(cents % 97, 1).toPlainString();
        };
    }

    /** A size in [min, max] that changes with the version. */
    private static int size(long userId, int v, int salt, int min, int max) {
        return min + (int) ((userId * 31 + (long) v * salt + salt) % (max - min + 1));
    }

    private static <R> List<R> list(int n, java.util.function.IntFunction<R> row) {
        List<R> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(row.apply(i));
        return rows;
    }
}
