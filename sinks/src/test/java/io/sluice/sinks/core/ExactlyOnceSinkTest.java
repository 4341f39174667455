package io.sluice.sinks.core;

import io.sluice.common.client.ConnectionSettings;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lifecycle without services: constructing the sink connects to nothing. */
class ExactlyOnceSinkTest {

    private final SinkConfig config = SinkConfig.builder("lifecycle", "g", ConnectionSettings.plaintext("127.0.0.1:1", null), "jdbc:postgresql://127.0.0.1:1/none")
            .topics("t").build();

    @Test
    void closeBeforeRunReleasesEverythingAndRunRefusesToStart() {
        ExactlyOnceSink<String, String> sink = new ExactlyOnceSink<>(config, new StringDeserializer(),
                new StringDeserializer(), (tx, batch) -> { }, ErrorReporter.NONE);
        sink.close();
        assertThatThrownBy(sink::run).isInstanceOf(IllegalStateException.class);
        assertThat(sink.counters()).isEqualTo(new SinkCounters(0, 0, 0, 0, 0));
        sink.close(); // idempotent
    }
}
