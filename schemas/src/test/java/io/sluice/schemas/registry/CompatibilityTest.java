package io.sluice.schemas.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompatibilityTest {

    @Test
    void parsesCaseInsensitivelyAndRejectsUnknownListingAllowed() {
        assertThat(Compatibility.parse(" backward ")).isEqualTo(Compatibility.BACKWARD);
        assertThatThrownBy(() -> Compatibility.parse("BACK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'BACK'")
                .hasMessageContaining("NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD");
    }

    @Test
    void configRejectsNonHttpUrls() {
        assertThatThrownBy(() -> RegistryClientConfig.of("mem://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
        assertThat(RegistryClientConfig.of("http://h:1/apis/ccompat/v7/").url()).isEqualTo("http://h:1/apis/ccompat/v7");
    }
}
