package io.sluice.schemas.testing;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.Query;
import io.sluice.schemas.dcb.QueryItem;
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
import io.sluice.schemas.topics.Topics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** One fully populated value (and a matching key) for each of the ten topics, for round-trip tests. */
public final class SampleRecords {

    private static final Instant T = Instant.parse("2025-06-01T12:34:56.789Z");
    private static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static final String RUN = "run-1";

    private SampleRecords() {
    }

    /** Key and value per topic name. */
    public record Sample(Object key, Object value) { }

    public static Map<String, Sample> byTopic() {
        return Map.of(
                "backfill.dids", new Sample(DID, didWorkItem()),
                "backfill.resolved", new Sample("pds.example.com", new ResolvedDid(DID, "https://pds.example.com", "pds.example.com", RUN, T)),
                "backfill.fetch", new Sample(DID, new FetchTask(DID, "https://pds.example.com", "pds.example.com", RUN, 2,
                        T.plusSeconds(30), T)),
                "backfill.records", new Sample(DID, new RepoRecord(DID, "app.bsky.feed.post", "3l4abcxyz2k2a",
                        "bafyreib2rxk3rh6kzwq", "3l4abcxyz2k2b", "{\"$type\":\"app.bsky.feed.post\",\"text\":\"héllo ✓\"}", RUN, null)),
                "backfill.status", new Sample(DID, new DidStatus(DID, "https://pds.example.com", DidState.FAILED, 1234L,
                        567890L, 3, "HTTP 500 from pds.example.com", T, RUN, 0L, null)),
                "backfill.ratelimit", new Sample("pds.example.com", new RateLimitSignal("pds.example.com",
                        RateLimitKind.THROTTLED_429, 3000, 0, T.plusSeconds(300), "3000;w=300", T)),
                "etl.user-rows", new Sample(42L, userRows(42L)),
                "dcb.commands", new Sample(Topics.DCB_COMMAND_KEY, appendCommand()),
                "dcb.events", new Sample(7L, new Event(7L, "CourseDefined", List.of("course:c1"), "{\"capacity\":10}", "req-1", T, null, null)),
                "dcb.results", new Sample("req-1", new AppendResult("req-1", AppendOutcome.APPENDED, 7L, 8L, null, T)));
    }

    public static DidWorkItem didWorkItem() {
        return new DidWorkItem(DID, RUN, T);
    }

    public static AppendCommand appendCommand() {
        return AppendCommand.newBuilder()
                .setRequestId("req-1")
                .setIdempotencyKey("idem-1")
                .setEvents(List.of(new EventData("CourseDefined", List.of("course:c1"), "{\"capacity\":10}"),
                        new EventData("StudentSubscribed", List.of("course:c1", "student:s1"), "{}")))
                .setCondition(new AppendCondition(new Query(List.of(new QueryItem(List.of("CourseDefined"),
                        List.of("course:c1")))), 6L))
                .setReceivedAt(T)
                .build();
    }

    /** A user with a row in every one of the 15 tables, ids following user_id * 10000 + index. */
    public static UserRows userRows(long userId) {
        long base = userId * 10000;
        return UserRows.newBuilder()
                .setUserId(userId)
                .setDeleted(false)
                .setSourceTs(T)
                .setUsers(List.of(new UserRow(userId, "ada", "ada@example.com", "Ada", "Lovelace", 36, T, T)))
                .setAddresses(List.of(new AddressRow(base, userId, "1 Main St", "Springfield", "IL", "01234", "US",
                        "{\"lat\":39.78,\"lng\":-89.65}")))
                .setProfiles(List.of(new ProfileRow(base, userId, "bio", "https://img.example.com/a.png",
                        "[\"chess\"]", "[\"java\",\"sql\"]")))
                .setEducation(List.of(new EducationRow(base, userId, "MIT", "BSc", "CS", 2005, null)))
                .setExperience(List.of(new ExperienceRow(base, userId, "ACME", "Engineer", LocalDate.of(2010, 1, 1), null, "built things"),
                        new ExperienceRow(base + 1, userId, "Initech", "Lead", LocalDate.of(2015, 3, 1), LocalDate.of(2020, 2, 29), null)))
                .setPreferences(List.of(new PreferencesRow(base, userId, "dark", "en", true, false, null)))
                .setSettings(List.of(new SettingsRow(base, userId, "friends", true, "{\"session_timeout\":30}")))
                .setActivityLog(List.of(new ActivityLogRow(base, userId, "login", "2001:db8::1", T)))
                .setTransactions(List.of(new TransactionRow(base, userId, "1234.50", "USD", "completed", T)))
                .setMessages(List.of(new MessageRow(base, userId, "ada", "bob", "hi", "body", T)))
                .setAttachments(List.of(new AttachmentRow(base, base, userId, "a.png", 2048L, "image/png")))
                .setSocialMedia(List.of(new SocialMediaRow(base, userId, "@ada", "ada-l", "ada")))
                .setPosts(List.of(new PostRow(base, userId, "first post", 5, T)))
                .setGroups(List.of(new GroupRow(base, userId, "analysts", "admin", T)))
                .setLargeData(List.of(new LargeDataRow(base, userId, "x".repeat(4096))))
                .build();
    }
}
