package io.sluice.schemas.serde;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSerdeConfigTest {

    @Test
    void readsConfluentPropertyNamesWithDefaults() {
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081"));
        assertThat(config).isEqualTo(new AvroSerdeConfig("http://r:8081", true, false));

        AvroSerdeConfig explicit = AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081",
                "auto.register.schemas", "FALSE", "specific.avro.reader", true));
        assertThat(explicit).isEqualTo(new AvroSerdeConfig("http://r:8081", false, true));
    }

    @Test
    void missingUrlIsAnError() {
        assertThatThrownBy(() -> AvroSerdeConfig.fromMap(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url is required");
    }

    @Test
    void booleansAreParsedStrictly() {
        assertThatThrownBy(() -> AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r", "auto.register.schemas", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas")
                .hasMessageContaining("allowed values: true, false");
    }
}
