package io.sluice.backfill.publish;

import io.sluice.backfill.atproto.testing.Fixtures;
import io.sluice.schemas.backfill.DidWorkItem;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DidPublisherTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:15:00Z");
    private static final Serializer<Object> NO_BYTES = (topic, data) -> new byte[0];

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final MockProducer<String, DidWorkItem> producer = new MockProducer(true, null, NO_BYTES, NO_BYTES);

    private DidPublisher publisher() {
        return new DidPublisher(producer, "dids-test", "run-1", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void publishesEachDistinctValidDidOnceKeyedByDidWithTheRunId() throws IOException {
        String list = """
                # my DIDs
                did:plc:ewvi7nxzyoun6zhxrhs64oiz

                  did:web:example.com \t
                did:plc:ewvi7nxzyoun6zhxrhs64oiz
                not-a-did
                did:web:example.com
                DID:PLC:UPPER
                """;
        List<PublishProgress> progress = new ArrayList<>();

        PublishSummary summary = publisher().publish(text(list), list.length(), progress::add);

        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dids-test", "did:plc:ewvi7nxzyoun6zhxrhs64oiz"),
                        org.assertj.core.groups.Tuple.tuple("dids-test", "did:web:example.com"));
        assertThat(producer.history()).allSatisfy(r -> {
            assertThat(r.value().getDid()).isEqualTo(r.key());
            assertThat(r.value().getRunId()).isEqualTo("run-1");
            assertThat(r.value().getEnqueuedAt()).isEqualTo(NOW);
        });
        assertThat(summary.lines()).isEqualTo(8);
        assertThat(summary.published()).isEqualTo(2);
        assertThat(summary.duplicates()).isEqualTo(2);
        assertThat(summary.invalid()).isEqualTo(2);
        assertThat(summary.invalidLines()).extracting(InvalidLine::number, InvalidLine::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, "not-a-did"),
                        org.assertj.core.groups.Tuple.tuple(8L, "DID:PLC:UPPER"));
        assertThat(progress.getLast()).isEqualTo(new PublishProgress(8, 2, 2, 2, 2, list.length(), list.length()));
        assertThat(progress.getLast().fraction()).isEqualTo(1.0);
    }

    /** {@code head}, then {@code size} bytes of 'x', then {@code tail}: generated as read, never held whole. */
    private static InputStream hugeLineBetween(String head, long size, String tail) {
        byte[] before = head.getBytes(StandardCharsets.UTF_8);
        byte[] after = tail.getBytes(StandardCharsets.UTF_8);
        long total = before.length + size + after.length;
        return new InputStream() {
            long at;

            @Override
            public int read() {
                if (at >= total) return -1;
                long i = at++;
                if (i < before.length) return before[(int) i];
                if (i < before.length + size) return 'x';
                return after[(int) (i - before.length - size)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= total) return -1;
                int n = (int) Math.min(len, total - at);
                for (int k = 0; k < n; k++) b[off + k] = (byte) read();
                return n;
            }
        };
    }

    @Test
    void aFiftyMegabyteLineIsSkippedAsTooLongAndTheDidsAroundItArePublished() throws IOException {
        InputStream in = hugeLineBetween("did:plc:ewvi7nxzyoun6zhxrhs64oiz\n", 50L * 1024 * 1024,
                "\r\ndid:web:example.com\n");

        PublishSummary summary = publisher().publish(in, -1, 4096, ProgressListener.NONE);

        assertThat(producer.history()).extracting(ProducerRecord::key)
                .containsExactly("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com");
        assertThat(summary.lines()).isEqualTo(3);
        assertThat(summary.invalid()).isEqualTo(1);
        InvalidLine tooLong = summary.invalidLines().getFirst();
        assertThat(tooLong.number()).isEqualTo(2);
        assertThat(tooLong.reason()).isEqualTo("line too long: over 4096 bytes");
        assertThat(tooLong.text()).hasSize(InvalidLine.MAX_TEXT + 1).startsWith("xxxx").endsWith("…");
    }

    @Test
    void anEscapeSequenceInAnInvalidLineIsEchoedEscaped() throws IOException {
        PublishSummary summary = publisher().publish(text("did:plc:\u001b]0;pwned\u0007\u001b[2J\n"), -1,
                ProgressListener.NONE);

        assertThat(summary.invalidLines()).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo("did:plc:\\u001b]0;pwned\\u0007\\u001b[2J");
            assertThat(line.toString()).doesNotContain("\u001b").doesNotContain("\u0007");
        });
    }

    @Test
    void theAtprotoVectorFilesClassifyAsTheirNamesSay() throws IOException {
        PublishSummary valid = publisher().publish(
                Fixtures.path("syntax/did_syntax_valid.txt").toUri().toURL().openStream(), -1, ProgressListener.NONE);
        assertThat(valid.published()).isEqualTo(Fixtures.vectors("did_syntax_valid.txt").size());
        assertThat(valid.invalid()).isZero();

        PublishSummary invalid = publisher().publish(
                Fixtures.path("syntax/did_syntax_invalid.txt").toUri().toURL().openStream(), -1, ProgressListener.NONE);
        assertThat(invalid.published()).isZero();
        assertThat(invalid.invalid()).isEqualTo(Fixtures.vectors("did_syntax_invalid.txt").size());
    }

    @Test
    void onlyTheFirstThousandInvalidLinesAreListedButAllAreCounted() throws IOException {
        String list = "bad\n".repeat(DidPublisher.MAX_LISTED_INVALID + 5);

        PublishSummary summary = publisher().publish(text(list), -1, ProgressListener.NONE);

        assertThat(summary.invalid()).isEqualTo(DidPublisher.MAX_LISTED_INVALID + 5);
        assertThat(summary.invalidLines()).hasSize(DidPublisher.MAX_LISTED_INVALID);
        assertThat(summary.unlistedInvalid()).isEqualTo(5);
    }

    @Test
    void aFailedSendFailsThePublish() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MockProducer<String, DidWorkItem> failing = new MockProducer(false, null, NO_BYTES, NO_BYTES) {
            @Override
            public synchronized void flush() {
                // The broker never acknowledges: every pending send fails, as after delivery.timeout.ms.
                while (errorNext(new TimeoutException("broker gone"))) {
                    Thread.onSpinWait();
                }
            }
        };
        DidPublisher p = new DidPublisher(failing, "dids-test", "run-1", Clock.systemUTC());

        assertThatThrownBy(() -> p.publish(text("did:plc:aaa\n"), -1, ProgressListener.NONE))
                .isInstanceOf(KafkaException.class).hasMessageContaining("broker gone")
                .hasMessageContaining("after 0 DIDs were acknowledged");
    }

    @Test
    void aMillionDidsStreamThroughWithBoundedMemory() throws IOException {
        int n = 1_000_000;
        // Generated lazily: neither the test nor the publisher ever holds the list.
        InputStream lines = new InputStream() {
            private int next;
            private byte[] line = new byte[0];
            private int pos;

            @Override
            public int read() {
                if (pos == line.length) {
                    if (next == n + 1000) return -1;
                    // The last 1000 lines repeat earlier DIDs.
                    int i = next < n ? next : next - n;
                    line = ("did:plc:" + String.format("%024d", i) + "\n").getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                    next++;
                }
                return line[pos++];
            }
        };
        // MockProducer keeps every record it was sent; clearing it on each progress call keeps the
        // test's own memory bounded too.
        PublishSummary summary = publisher().publish(lines, -1, p -> producer.clear());

        assertThat(summary.published()).isEqualTo(n);
        assertThat(summary.duplicates()).isEqualTo(1000);
        assertThat(summary.invalid()).isZero();
    }
}
