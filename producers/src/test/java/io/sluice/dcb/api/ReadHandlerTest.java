package io.sluice.dcb.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadHandlerTest {

    @Test
    void aMalformedPercentEscapeIsABadRequest() {
        // a 400 as JSON, not the exception escaping to the JDK server's HTML 500
        assertThatThrownBy(() -> ReadHandler.parameters("query=%zz")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("URL-encoded");
        assertThatThrownBy(() -> ReadHandler.parameters("query=%")).isInstanceOf(BadRequestException.class);
        assertThat(ReadHandler.parameters("query=%7B%7D")).containsEntry("query", "{}");
    }
}
