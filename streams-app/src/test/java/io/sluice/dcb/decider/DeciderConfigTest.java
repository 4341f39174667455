package io.sluice.dcb.decider;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.streams.dlq.DeadLetterHandler;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class DeciderConfigTest {

    private static final DeciderConfig DEFAULTS = DeciderConfig.defaults(ConnectionSettings.plaintext("localhost:9092", "http://localhost:8080/apis/ccompat/v7"));

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS.applicationId()).isEqualTo("sluice-dcb-decider");
        assertThat(DEFAULTS.commandsTopic()).isEqualTo("dcb.commands");
        assertThat(DEFAULTS.eventsTopic()).isEqualTo("dcb.events");
        assertThat(DEFAULTS.resultsTopic()).isEqualTo("dcb.results");
        assertThat(DEFAULTS.dlqTopic()).isEqualTo("dcb.dlq");
        assertThat(DEFAULTS.commitInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(DEFAULTS.storeType()).isEqualTo(StoreType.ROCKSDB);
        assertThat(DEFAULTS.stateDir()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("blank application id", (UnaryOperator<DeciderConfig>) c -> c.withApplicationId(" "), "applicationId"),
                arguments("application id with a slash", (UnaryOperator<DeciderConfig>) c -> c.withApplicationId("a/b"), "applicationId"),
                arguments("two topics the same", (UnaryOperator<DeciderConfig>) c -> c.withTopics("t", "t", "r", "d"), "must differ"),
                arguments("illegal topic name", (UnaryOperator<DeciderConfig>) c -> c.withTopics("a b", "e", "r", "d"), "commandsTopic"),
                arguments("zero commit interval", (UnaryOperator<DeciderConfig>) c -> c.withCommitInterval(Duration.ZERO), "commitInterval"),
                arguments("sub-millisecond commit interval", (UnaryOperator<DeciderConfig>) c -> c.withCommitInterval(Duration.ofNanos(500)),
                        "commitInterval"),
                arguments("hour-long commit interval", (UnaryOperator<DeciderConfig>) c -> c.withCommitInterval(Duration.ofHours(1)),
                        "commitInterval"),
                arguments("replication factor 0", (UnaryOperator<DeciderConfig>) c -> c.withReplicationFactor(0), "replicationFactor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidSettings(String what, UnaryOperator<DeciderConfig> change, String message) {
        assertThatThrownBy(() -> change.apply(DEFAULTS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void refusesMissingClusterSettings() {
        assertThatThrownBy(() -> DeciderConfig.defaults(null)).hasMessageContaining("connection");
        assertThatThrownBy(() -> DeciderConfig.defaults(ConnectionSettings.plaintext("k:9092", null)))
                .hasMessageContaining("--registry-url");
    }

    @Test
    void storeTypesParseStrictly() {
        assertThat(StoreType.parse("RocksDB")).isEqualTo(StoreType.ROCKSDB);
        assertThat(StoreType.parse("in_memory")).isEqualTo(StoreType.IN_MEMORY);
        assertThatThrownBy(() -> StoreType.parse("memory")).hasMessageContaining("allowed values: rocksdb, in_memory");
    }

    @Test
    void streamsRunExactlyOnceWithTheConfiguredCommitIntervalAndDlq() {
        Properties props = DeciderApp.streamsProperties(DEFAULTS.withCommitInterval(Duration.ofMillis(35))
                .withStateDir(Path.of("/tmp/x")));
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(35L);
        // An idle stream thread commits only when its poll returns: poll no longer than the interval.
        assertThat(props.get(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(35L);
        // CONCURRENT_TRANSACTIONS right after a commit is retried within milliseconds, not 100.
        assertThat(props.get(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG))).isEqualTo(10L);
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/tmp/x");
        assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("dcb.dlq");
        assertThat(props.get(DeadLetterHandler.STAGE_CONFIG)).isEqualTo("decider");
        assertThat(Optional.ofNullable(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)))
                .contains(DeadLetterHandler.class.getName());
        assertThat(Optional.ofNullable(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)))
                .contains(DeadLetterHandler.class.getName());
        // StreamsConfig accepts them all.
        assertThat(new StreamsConfig(props).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(35L);
    }
}
