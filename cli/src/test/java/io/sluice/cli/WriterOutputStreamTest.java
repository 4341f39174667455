package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WriterOutputStreamTest {

    @Test
    void charactersSplitAcrossWritesArriveWhole() throws Exception {
        String text = "déjà vu 🦋 " + "x".repeat(20_000) + " ✓";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringWriter target = new StringWriter();
        try (WriterOutputStream out = new WriterOutputStream(target)) {
            for (int i = 0; i < bytes.length; i += 3) out.write(bytes, i, Math.min(3, bytes.length - i));
        }
        assertThat(target.toString()).isEqualTo(text);
    }
}
