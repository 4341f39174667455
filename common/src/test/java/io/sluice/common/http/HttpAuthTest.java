package io.sluice.common.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpAuthTest {

    @Test
    void readsTheFirstLineOfTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  abc123 \n");
        HttpAuth auth = HttpAuth.fromFile(file, false);
        assertThat(auth.accepts("Bearer abc123")).isTrue();
        assertThat(auth.accepts("bearer abc123")).isTrue();
        assertThat(auth.accepts("Bearer abc12")).isFalse();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.toString()).doesNotContain("abc123");
    }

    @Test
    void refusesMissingOrEmptyFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> HttpAuth.fromFile(dir.resolve("absent"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent");
        Path empty = Files.writeString(dir.resolve("empty"), "\n  \n");
        assertThatThrownBy(() -> HttpAuth.fromFile(empty, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
