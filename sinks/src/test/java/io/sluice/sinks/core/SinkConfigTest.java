package io.sluice.sinks.core;

import io.sluice.common.client.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkConfigTest {

    private static SinkConfig.Builder valid() {
        return SinkConfig.builder("records-sink", "records", ConnectionSettings.plaintext("localhost:9092", null), "jdbc:postgresql://localhost/sluice")
                .topics("backfill.records");
    }

    @Test
    void buildsWithDefaults() {
        SinkConfig c = valid().credentials("sluice", "secret").build();
        assertThat(c.schema()).isEqualTo("public");
        assertThat(c.applicationName()).isEqualTo("sluice-records-sink");
        assertThat(c.batchSize()).isEqualTo(500);
        assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.dlqTopicFor("backfill.records")).isEqualTo("backfill.records.dlq");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void aDlqPatternWithoutPlaceholderIsOneTopicForAll() {
        assertThat(valid().dlqTopicPattern("backfill.dlq").build().dlqTopicFor("backfill.records")).isEqualTo("backfill.dlq");
    }

    @Test
    void refusesInvalidValues() {
        assertInvalid(valid().topics(), "topics must not be empty");
        assertInvalid(valid().batchSize(0), "batchSize");
        assertInvalid(valid().flushInterval(Duration.ZERO), "flushInterval");
        assertInvalid(valid().backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)), "backoffMax");
        assertInvalid(valid().schema("Sluice; DROP"), "schema");
        assertInvalid(valid().applicationName("x".repeat(64)), "63");
        assertInvalid(valid().dlqTopicPattern("bad topic ${topic}"), "dlqTopicPattern");
        assertInvalid(valid().poolSize(0), "poolSize");
        assertInvalid(SinkConfig.builder("s", "g", ConnectionSettings.plaintext("b:9092", null), "jdbc:mysql://x/y").topics("t"), "PostgreSQL");
        assertInvalid(SinkConfig.builder(" ", "g", ConnectionSettings.plaintext("b:9092", null), "jdbc:postgresql://x/y").topics("t"), "stage");
    }

    @Test
    void refusesOverridesOfWhatTheGuaranteesDependOn() {
        assertInvalid(valid().consumerOverrides(Map.of("enable.auto.commit", "true")), "enable.auto.commit");
        assertInvalid(valid().producerOverrides(Map.of("acks", "1")), "acks");
        assertThat(valid().consumerOverrides(Map.of("session.timeout.ms", "6000")).build().consumerOverrides())
                .containsEntry("session.timeout.ms", "6000");
    }

    private static void assertInvalid(SinkConfig.Builder builder, String messagePart) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
    }
}
