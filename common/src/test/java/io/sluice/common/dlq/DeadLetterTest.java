package io.sluice.common.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterTest {

    private enum Reason implements DeadLetterReason { INVALID_DID, NOT_FOUND }

    @Test
    void headersReadBackAsWritten() {
        Headers headers = DeadLetter.headers("resolver", "invalid-did", "backfill.dids", 3, 42L,
                new IllegalArgumentException("not a DID: x"));

        assertThat(DeadLetter.read(headers)).isEqualTo(new DeadLetterHeaders("backfill.dids", 3, 42L, "resolver",
                "invalid-did", IllegalArgumentException.class.getName(), "not a DID: x"));
        assertThat(Arrays.stream(headers.toArray()).map(Header::key)).containsExactly(DeadLetter.TOPIC,
                DeadLetter.PARTITION, DeadLetter.OFFSET, DeadLetter.STAGE, DeadLetter.REASON, DeadLetter.ERROR_CLASS,
                DeadLetter.ERROR_MESSAGE);
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        Headers headers = DeadLetter.headers("decider", "no-value", "dcb.commands", 0, 0L, new NullPointerException());

        assertThat(DeadLetter.read(headers).errorMessage()).isEqualTo(NullPointerException.class.getName());
    }

    @Test
    void aNullMessageGivenAsTextIsEmpty() {
        Headers headers = DeadLetter.headers(null, "fetcher", "malformed", "backfill.fetch", 0, 1L, "x.Error", null);

        assertThat(DeadLetter.read(headers).errorMessage()).isEmpty();
    }

    @Test
    void longMessagesAreCutToTheBoundOnACharacterBoundary() {
        String message = "é".repeat(5000); // two bytes each: 10,000 bytes
        Headers headers = DeadLetter.headers("flattener", "invalid-document", "cdc.sluice.users", 0, 0L,
                new IllegalStateException(message));

        byte[] stored = headers.lastHeader(DeadLetter.ERROR_MESSAGE).value();
        String read = new String(stored, StandardCharsets.UTF_8);
        assertThat(stored.length).isLessThanOrEqualTo(DeadLetter.MAX_MESSAGE_BYTES);
        assertThat(read).endsWith("[truncated]").startsWith("éééé").doesNotContain("\uFFFD");
        assertThat(DeadLetter.truncate("short")).isEqualTo("short");
    }

    @Test
    void aMessageAtTheBoundIsKeptWhole() {
        String message = "a".repeat(DeadLetter.MAX_MESSAGE_BYTES);

        assertThat(DeadLetter.truncate(message)).isEqualTo(message);
        assertThat(DeadLetter.truncate(message + "b")).hasSizeLessThan(message.length()).endsWith("[truncated]");
    }

    @Test
    void theSourceHeadersStayButEarlierDeadLetterHeadersAreReplaced() {
        Headers original = new RecordHeaders().add("trace", new byte[] {1})
                .add(DeadLetter.REASON, "old".getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.STAGE, "etl-sink".getBytes(StandardCharsets.UTF_8));

        Headers headers = DeadLetter.headers(original, "flattener", DeadLetter.DESERIALIZATION, "cdc.x", 1, 2L,
                new RuntimeException("bad"));

        assertThat(headers.headers(DeadLetter.REASON)).hasSize(1);
        assertThat(DeadLetter.read(headers).reason()).isEqualTo("deserialization");
        assertThat(headers.lastHeader("trace").value()).containsExactly(1);
        assertThat(original.toArray()).hasSize(3);
    }

    @Test
    void theDeadLetterOfAConsumedRecordKeepsItsBytesAndTimestamp() {
        byte[] key = {0, 1, 2};
        byte[] value = {(byte) 0xff, 0};
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("backfill.fetch", 2, 9L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 3, 2, key, value, new RecordHeaders(), Optional.empty());

        ProducerRecord<byte[], byte[]> dead = DeadLetter.record("backfill.dlq", source, "fetcher", "deserialization",
                new IllegalArgumentException("no"));

        assertThat(dead.topic()).isEqualTo("backfill.dlq");
        assertThat(dead.key()).isSameAs(key);
        assertThat(dead.value()).isSameAs(value);
        assertThat(dead.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(DeadLetter.read(dead.headers())).extracting(DeadLetterHeaders::sourceTopic,
                DeadLetterHeaders::partition, DeadLetterHeaders::offset).containsExactly("backfill.fetch", 2, 9L);
    }

    @Test
    void reasonsAndStagesMustBeLowerCaseWithDashes() {
        assertThatThrownBy(() -> DeadLetter.headers("Resolver", "x", "t", 0, 0L, new RuntimeException()))
                .hasMessageContaining("stage");
        assertThatThrownBy(() -> DeadLetter.headers("resolver", "invalid_did", "t", 0, 0L, new RuntimeException()))
                .hasMessageContaining("reason").hasMessageContaining("invalid_did");
        assertThat(Reason.INVALID_DID.code()).isEqualTo("invalid-did");
        assertThat(Reason.NOT_FOUND.code()).isEqualTo("not-found");
    }

    @Test
    void readingNamesTheMissingOrMalformedHeader() {
        Headers headers = DeadLetter.headers("resolver", "not-found", "t", 0, 5L, new RuntimeException("x"));
        headers.remove(DeadLetter.REASON);
        assertThatThrownBy(() -> DeadLetter.read(headers)).hasMessageContaining(DeadLetter.REASON);
        assertThat(DeadLetter.isDeadLetter(headers)).isFalse();

        Headers bad = DeadLetter.headers("resolver", "not-found", "t", 0, 5L, new RuntimeException("x"));
        bad.remove(DeadLetter.OFFSET).add(DeadLetter.OFFSET, "five".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> DeadLetter.read(bad)).hasMessageContaining(DeadLetter.OFFSET).hasMessageContaining("five");
    }
}
