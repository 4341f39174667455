package io.sluice.backfill.publish;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLineReaderTest {

    private static List<BoundedLineReader.Line> lines(InputStream in, int max) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, max, 7);
        List<BoundedLineReader.Line> lines = new ArrayList<>();
        for (BoundedLineReader.Line l = reader.readLine(); l != null; l = reader.readLine()) lines.add(l);
        return lines;
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsOnEveryLineEndLikeBufferedReader() throws IOException {
        assertThat(lines(text("a\nb\r\nc\rd\n\ne"), 100)).extracting(BoundedLineReader.Line::text)
                .containsExactly("a", "b", "c", "d", "", "e");
        assertThat(lines(text("a\r\n"), 100)).extracting(BoundedLineReader.Line::text).containsExactly("a");
        assertThat(lines(text(""), 100)).isEmpty();
    }

    @Test
    void aLineOverTheLimitIsCutAndFlaggedAndTheNextLineIsWhole() throws IOException {
        assertThat(lines(text("12345\n123456\nok\n"), 5)).containsExactly(
                new BoundedLineReader.Line("12345", false),
                new BoundedLineReader.Line("12345", true),
                new BoundedLineReader.Line("ok", false));
    }

    @Test
    void theLineBufferStaysWithinTheLimitForAHugeLine() throws IOException {
        InputStream huge = new InputStream() {
            long left = 50L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }
        };
        BoundedLineReader reader = new BoundedLineReader(new SequenceInputStream(huge, text("\nnext\n")), 8192, 64 * 1024);

        assertThat(reader.readLine().tooLong()).isTrue();
        assertThat(reader.lineBufferSize()).isLessThanOrEqualTo(8192);
        assertThat(reader.readLine().text()).isEqualTo("next");
        assertThat(reader.readLine()).isNull();
    }
}
