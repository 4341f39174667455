package io.sluice.etl.flatten;

import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator's dataset has the seed system's size: 10,000 users give about 345,000 rows over the
 * 15 tables, counted by the flattener itself from the extended JSON Debezium would carry.
 */
class GeneratedRowCountTest {

    private static final JsonWriterSettings DEBEZIUM_JSON = JsonWriterSettings.builder().outputMode(JsonMode.STRICT).build();

    @Test
    void tenThousandUsersGiveAbout345000Rows() {
        UserGenerator generator = new UserGenerator(1);
        Map<String, Function<UserRows, List<?>>> tables = new LinkedHashMap<>();
        tables.put("users", UserRows::getUsers);
        tables.put("addresses", UserRows::getAddresses);
        tables.put("profiles", UserRows::getProfiles);
        tables.put("education", UserRows::getEducation);
        tables.put("experience", UserRows::getExperience);
        tables.put("preferences", UserRows::getPreferences);
        tables.put("settings", UserRows::getSettings);
        tables.put("activity_log", UserRows::getActivityLog);
        tables.put("transactions", UserRows::getTransactions);
        tables.put("messages", UserRows::getMessages);
        tables.put("attachments", UserRows::getAttachments);
        tables.put("social_media", UserRows::getSocialMedia);
        tables.put("posts", UserRows::getPosts);
        tables.put("groups", UserRows::getGroups);
        tables.put("large_data", UserRows::getLargeData);
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.keySet().forEach(t -> counts.put(t, 0L));
        long total = 0;
        for (long id = 1; id <= 10_000; id++) {
            BsonDocument doc = MongoExtendedJson.parseDocument(generator.user(id).toJson(DEBEZIUM_JSON));
            UserRows rows = UserFlattener.flatten(doc, Instant.EPOCH);
            for (var t : tables.entrySet()) counts.merge(t.getKey(), (long) t.getValue().apply(rows).size(), Long::sum);
            total += UserFlattener.rowCount(rows);
        }
        System.out.println("rows for 10,000 users (seed 1): " + counts + " total " + total);
        assertThat(total).isBetween(335_000L, 355_000L);
        assertThat(counts.get("users")).isEqualTo(10_000L);
        assertThat(counts.get("large_data")).isEqualTo(10_000L);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isPositive());
    }
}
