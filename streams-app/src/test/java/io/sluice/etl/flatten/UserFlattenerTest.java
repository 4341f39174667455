package io.sluice.etl.flatten;

import io.sluice.schemas.etl.TransactionRow;
import io.sluice.schemas.etl.UserRows;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per table, on a hand-written document in the strict extended JSON Debezium writes. */
class UserFlattenerTest {

    private static final Instant TS = Instant.parse("2025-06-01T00:00:00Z");
    private static final String DOC = """
            {"_id": {"$numberLong": "42"}, "username": "ada.42", "email": "ada.42@example.com",
             "first_name": "Ada", "last_name": "Lovelace", "age": 36,
             "created_at": {"$date": 1704067200000}, "updated_at": {"$date": "2024-02-01T00:00:00Z"},
             "address": {"street": "1 Main St", "city": "London", "state": "LDN", "zip": "01234", "country": "UK",
                         "coordinates": {"lat": 51.5, "lng": -0.12}},
             "profile": {"bio": "first programmer", "avatar": "https://a.example/ada.png",
                         "interests": ["math", "poetry"], "skills": ["analysis"],
                         "education": [{"institution": "Home", "degree": "BSc", "field": "Mathematics",
                                        "start_year": 1830, "end_year": null},
                                       {"institution": "Cambridge", "degree": "MSc", "field": "Logic",
                                        "start_year": {"$numberLong": "1835"}, "end_year": 1837.0}],
                         "experience": [{"company": "Engine Co", "title": "Analyst",
                                         "start_date": {"$date": 1704153600000}, "end_date": null, "description": "notes"}]},
             "preferences": {"theme": "dark", "language": "en",
                             "notifications": {"email": true, "push": false, "sms": true},
                             "settings": {"privacy": "friends", "two_factor": true, "font_size": 12}},
             "activity_log": [{"action": "login", "ip": "10.0.0.1", "timestamp": {"$date": 1704067201000}},
                              {"action": "logout", "ip": "2001:db8::1", "timestamp": {"$date": 1704067202000}}],
             "transactions": [{"amount": {"$numberDecimal": "1234.50"}, "currency": "GBP", "status": "completed",
                               "timestamp": {"$date": 1704067203000}},
                              {"amount": 0.1, "currency": "USD", "status": "pending", "timestamp": {"$date": 1704067204000}}],
             "messages": [{"from": "ada", "to": "charles", "subject": "engine", "body": "b1", "sent_at": {"$date": 1704067205000},
                           "attachments": [{"filename": "a.png", "size": {"$numberLong": "2048"}, "mime_type": "image/png"}]},
                          {"from": "ada", "to": "mary", "subject": "s2", "body": "b2", "sent_at": {"$date": 1704067206000},
                           "attachments": []},
                          {"from": "ada", "to": "babbage", "subject": "s3", "body": "b3", "sent_at": {"$date": 1704067207000},
                           "attachments": [{"filename": "n.txt", "size": 10, "mime_type": "text/plain"},
                                           {"filename": "m.pdf", "size": 20, "mime_type": "application/pdf"}]}],
             "social_media": {"twitter": "@ada", "linkedin": "in/ada", "github": "ada",
                              "posts": [{"content": "hello", "likes": 3, "created_at": {"$date": 1704067208000}}],
                              "groups": [{"name": "Analysts", "role": "admin", "joined_at": {"$date": 1704067209000}},
                                         {"name": "Poets", "role": "member", "joined_at": {"$date": 1704067210000}}]},
             "large_data": "lorem ipsum"}
            """;

    private final UserRows rows = UserFlattener.flatten(MongoExtendedJson.parseDocument(DOC), TS);

    @Test
    void bundle() {
        assertThat(rows.getUserId()).isEqualTo(42L);
        assertThat(rows.getDeleted()).isFalse();
        assertThat(rows.getSourceTs()).isEqualTo(TS);
        assertThat(UserFlattener.rowCount(rows)).isEqualTo(1 + 1 + 1 + 2 + 1 + 1 + 1 + 2 + 2 + 3 + 3 + 1 + 1 + 2 + 1);
    }

    @Test
    void users() {
        var u = rows.getUsers().get(0);
        assertThat(u.getId()).isEqualTo(42L);
        assertThat(u.getUsername()).isEqualTo("ada.42");
        assertThat(u.getEmail()).isEqualTo("ada.42@example.com");
        assertThat(u.getFirstName()).isEqualTo("Ada");
        assertThat(u.getLastName()).isEqualTo("Lovelace");
        assertThat(u.getAge()).isEqualTo(36);
        assertThat(u.getCreatedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(u.getUpdatedAt()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
    }

    @Test
    void addresses() {
        var a = rows.getAddresses().get(0);
        assertThat(a.getId()).isEqualTo(420_000L);
        assertThat(a.getUserId()).isEqualTo(42L);
        assertThat(a.getZip()).isEqualTo("01234");
        assertThat(a.getCity()).isEqualTo("London");
        assertThat(a.getCoordinates()).isEqualTo("{\"lat\":51.5,\"lng\":-0.12}");
    }

    @Test
    void profilesEducationExperience() {
        var p = rows.getProfiles().get(0);
        assertThat(p.getId()).isEqualTo(420_000L);
        assertThat(p.getAvatarUrl()).isEqualTo("https://a.example/ada.png");
        assertThat(p.getInterests()).isEqualTo("[\"math\",\"poetry\"]");
        assertThat(p.getSkills()).isEqualTo("[\"analysis\"]");
        assertThat(rows.getEducation()).extracting(e -> e.getId()).containsExactly(420_000L, 420_001L);
        assertThat(rows.getEducation().get(0).getEndYear()).isNull();
        assertThat(rows.getEducation().get(1).getStartYear()).isEqualTo(1835);
        assertThat(rows.getEducation().get(1).getEndYear()).isEqualTo(1837);
        var x = rows.getExperience().get(0);
        assertThat(x.getStartDate()).isEqualTo(LocalDate.parse("2024-01-02"));
        assertThat(x.getEndDate()).isNull();
        assertThat(x.getCompany()).isEqualTo("Engine Co");
    }

    @Test
    void preferencesAndSettings() {
        var p = rows.getPreferences().get(0);
        assertThat(p.getTheme()).isEqualTo("dark");
        assertThat(p.getEmailNotifications()).isTrue();
        assertThat(p.getPushNotifications()).isFalse();
        assertThat(p.getSmsNotifications()).isTrue();
        var s = rows.getSettings().get(0);
        assertThat(s.getId()).isEqualTo(420_000L);
        assertThat(s.getPrivacy()).isEqualTo("friends");
        assertThat(s.getTwoFactor()).isTrue();
        assertThat(s.getExtra()).isEqualTo("{\"font_size\":12}");
    }

    @Test
    void activityLogAndTransactions() {
        assertThat(rows.getActivityLog()).extracting(a -> a.getIp()).containsExactly("10.0.0.1", "2001:db8::1");
        assertThat(rows.getActivityLog().get(1).getId()).isEqualTo(420_001L);
        assertThat(rows.getActivityLog().get(1).getTimestamp()).isEqualTo(Instant.ofEpochMilli(1704067202000L));
        assertThat(rows.getTransactions()).extracting(t -> t.getAmount()).containsExactly("1234.50", "0.1");
        assertThat(rows.getTransactions().get(0).getCurrency()).isEqualTo("GBP");
    }

    @Test
    void messagesAndAttachmentsCountedAcrossMessages() {
        assertThat(rows.getMessages()).extracting(m -> m.getSender() + ">" + m.getRecipient())
                .containsExactly("ada>charles", "ada>mary", "ada>babbage");
        assertThat(rows.getAttachments()).extracting(a -> a.getId()).containsExactly(420_000L, 420_001L, 420_002L);
        assertThat(rows.getAttachments()).extracting(a -> a.getMessageId()).containsExactly(420_000L, 420_002L, 420_002L);
        assertThat(rows.getAttachments().get(0).getSize()).isEqualTo(2048L);
        assertThat(rows.getAttachments().get(2).getMimeType()).isEqualTo("application/pdf");
    }

    @Test
    void socialMediaPostsGroupsAndLargeData() {
        assertThat(rows.getSocialMedia().get(0).getGithub()).isEqualTo("ada");
        assertThat(rows.getPosts().get(0).getLikes()).isEqualTo(3);
        assertThat(rows.getGroups()).extracting(g -> g.getRole()).containsExactly("admin", "member");
        assertThat(rows.getGroups().get(1).getId()).isEqualTo(420_001L);
        assertThat(rows.getLargeData().get(0).getContent()).isEqualTo("lorem ipsum");
    }

    @Test
    void absentPartsGiveNoRowsAndALargeDataObjectIsKeptAsJson() {
        UserRows minimal = UserFlattener.flatten(MongoExtendedJson.parseDocument(
                "{\"_id\": 7, \"large_data\": {\"text\": \"x\", \"n\": {\"$numberLong\": \"5\"}}}"), TS);
        assertThat(minimal.getUsers()).hasSize(1);
        assertThat(minimal.getUsers().get(0).getUsername()).isNull();
        assertThat(UserFlattener.rowCount(minimal)).isEqualTo(2);
        assertThat(minimal.getLargeData().get(0).getContent()).isEqualTo("{\"text\":\"x\",\"n\":5}");
    }

    @Test
    void deletionBundleIsEmpty() {
        UserRows deleted = UserFlattener.deleted(42, TS);
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(UserFlattener.rowCount(deleted)).isZero();
    }

    @Test
    void negativeZeroDecimalsMapToZeroKeepingTheirScale() {
        UserRows rows = UserFlattener.flatten(MongoExtendedJson.parseDocument("{\"_id\": 1, \"age\": {\"$numberDecimal\": \"-0\"},"
                + " \"transactions\": [{\"amount\": {\"$numberDecimal\": \"-0.00\"}}, {\"amount\": {\"$numberDecimal\": \"-0\"}},"
                + " {\"amount\": {\"$numberDecimal\": \"-1.50\"}}]}"), TS);
        assertThat(rows.getUsers().get(0).getAge()).isZero();
        assertThat(rows.getTransactions()).extracting(TransactionRow::getAmount).containsExactly("0.00", "0", "-1.50");
    }

    @Test
    void doubleAmountsAreWrittenInTheirShortestForm() {
        UserRows rows = UserFlattener.flatten(MongoExtendedJson.parseDocument("{\"_id\": 1, \"transactions\": ["
                + "{\"amount\": 1e-7}, {\"amount\": -0.0}, {\"amount\": 0.1}, {\"amount\": 1e21}, {\"amount\": 12.50}]}"), TS);
        assertThat(rows.getTransactions()).extracting(TransactionRow::getAmount)
                .containsExactly("0.0000001", "0", "0.1", "1000000000000000000000", "12.5");
    }

    @Test
    void documentsThatDoNotFitAreRefusedNamingTheField() {
        assertRefused("{\"_id\": {\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}}", "_id is a object_id; allowed: int32, int64");
        assertRefused("{\"_id\": 1, \"age\": 3.5}", "age is 3.5, not an integer");
        assertRefused("{\"_id\": 1, \"age\": {\"$numberLong\": \"9999999999\"}}", "age is 9999999999, outside the int32 range");
        assertRefused("{\"_id\": 1, \"address\": \"nowhere\"}", "address is a string; allowed: document");
        assertRefused("{\"_id\": 1, \"messages\": [{\"sent_at\": \"yesterday\"}]}",
                "messages[0].sent_at is the string 'yesterday', not an ISO-8601 instant");
        assertRefused("{\"_id\": 1, \"transactions\": [{\"amount\": {\"$numberDecimal\": \"NaN\"}}]}",
                "transactions[0].amount is NaN; only finite decimals are mapped");
        assertRefused("{\"_id\": 1, \"transactions\": [{\"amount\": {\"$numberDecimal\": \"-Infinity\"}}]}",
                "transactions[0].amount is -Infinity; only finite decimals are mapped");
        assertRefused("{\"_id\": 1, \"transactions\": [{\"amount\": \"1e999999999\"}]}",
                "transactions[0].amount is 1E+999999999, outside PostgreSQL's numeric range");
        assertRefused("{\"_id\": 1, \"activity_log\": [1]}", "activity_log[0] is a int32; allowed: document");
        assertRefused("{\"_id\": {\"$numberLong\": \"9223372036854775\"}}", "too large for row ids");
        StringBuilder big = new StringBuilder("{\"_id\": 1, \"activity_log\": [");
        for (int i = 0; i < 10_001; i++) big.append(i == 0 ? "" : ",").append("{}");
        assertRefused(big.append("]}").toString(), "more than 10000 elements");
    }

    private static void assertRefused(String json, String reason) {
        BsonDocument doc = MongoExtendedJson.parseDocument(json);
        assertThatThrownBy(() -> UserFlattener.flatten(doc, TS)).isInstanceOf(UnmappableDocumentException.class)
                .hasMessageContaining(reason);
    }
}
