package io.sluice.etl.generate;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserGeneratorTest {

    private final UserGenerator generator = new UserGenerator(42);

    @Test
    void aUserIsAPureFunctionOfSeedAndId() {
        assertThat(generator.user(17)).isEqualTo(new UserGenerator(42).user(17));
        assertThat(generator.user(17)).isNotEqualTo(new UserGenerator(43).user(17));
        assertThat(generator.user(17)).isNotEqualTo(generator.user(18));
    }

    @Test
    void documentsHaveTheSeedSystemsShape() {
        BsonDocument user = generator.user(1);
        assertThat(user.keySet()).containsExactly("_id", "username", "email", "first_name", "last_name", "age", "created_at",
                "updated_at", "address", "profile", "preferences", "activity_log", "transactions", "messages", "social_media",
                "large_data");
        assertThat(user.getInt64("_id").getValue()).isEqualTo(1);
        assertThat(user.getDocument("address").getDocument("coordinates").keySet()).containsExactly("lat", "lng");
        assertThat(user.getDocument("profile").keySet()).contains("education", "experience", "interests", "skills");
        assertThat(user.getDocument("social_media").keySet()).contains("posts", "groups");
        assertThat(user.getString("large_data").getValue().length()).isBetween(2_000, 4_100);
        assertThat(user.getArray("transactions").get(0).asDocument().get("amount").isDecimal128()).isTrue();
    }

    @Test
    void usernamesAndEmailsAreUnique() {
        Set<String> usernames = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (long id = 1; id <= 10_000; id++) {
            BsonDocument user = generator.user(id);
            assertThat(usernames.add(user.getString("username").getValue())).isTrue();
            assertThat(emails.add(user.getString("email").getValue())).isTrue();
        }
    }

    @Test
    void updatesShrinkAndGrowArraysAndSometimesDropTheAddress() {
        UserUpdates updates = new UserUpdates(generator);
        BsonDocument v0 = generator.user(3);
        BsonDocument v1 = updates.update(v0, 1);
        BsonDocument v2 = updates.update(v1, 2);
        BsonDocument v3 = updates.update(v2, 3);

        assertThat(v1.getArray("activity_log")).hasSize(v0.getArray("activity_log").size() / 2);
        assertThat(v1.getArray("transactions")).hasSize(v0.getArray("transactions").size() + 1);
        assertThat(v1.getArray("messages")).hasSize(v0.getArray("messages").size() - 1);
        assertThat(v2.getDocument("social_media").getArray("posts")).isEmpty();
        assertThat(v2.containsKey("address")).isTrue();
        assertThat(v3.containsKey("address")).isFalse();
        assertThat(v3.getString("email")).isEqualTo(v0.getString("email"));
        assertThat(updates.update(v0, 1)).isEqualTo(v1);
        assertThat(v0).isEqualTo(generator.user(3));
        assertThatThrownBy(() -> updates.update(v0, 0)).hasMessageContaining("start at 1");
    }
}
