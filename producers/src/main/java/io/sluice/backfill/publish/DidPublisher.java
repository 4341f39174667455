package io.sluice.backfill.publish;

import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The logic of {@code sluice publish-dids}. Consumes a DID list, one DID a line (see {@link DidLine}
 * for blank lines, comments and validation); produces one {@link DidWorkItem} per distinct valid DID
 * to {@code backfill.dids}, keyed by the DID, all with one run id; returns a {@link PublishSummary}.
 *
 * <p>Guarantees: each distinct DID of the list is published once (idempotent producer,
 * {@code acks=all}); {@link #publish} returns only when the broker has acknowledged all of them, and
 * throws if any send failed. Memory stays bounded whatever the list's length: lines are streamed,
 * duplicates are found by 64-bit fingerprints ({@link DidHashSet}, ~16 bytes per DID, with a
 * documented ~10⁻⁸ chance per million DIDs of dropping one as a false duplicate), and only the first
 * {@value #MAX_LISTED_INVALID} invalid lines are kept for the summary. A line longer than the limit
 * ({@value #DEFAULT_MAX_LINE_BYTES} bytes by default) is invalid, "line too long", and skipped without
 * being held in memory.
 */
public final class DidPublisher implements AutoCloseable {

    public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);
    public static final int MAX_LISTED_INVALID = 1000;
    /** A DID is at most 2 KiB by the spec; room for whitespace and a comment, and far from a heap's worth. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024;

    private final Producer<String, DidWorkItem> producer;
    private final String topic;
    private final String runId;
    private final Clock clock;

    /** With a producer of the caller's (a {@code MockProducer} in tests); {@link #close()} closes it. */
    public DidPublisher(Producer<String, DidWorkItem> producer, String topic, String runId, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.runId = runId;
        this.clock = clock;
    }

    /** Creates the topic if it is missing, waits for it to be ready, and opens the producer. */
    public static DidPublisher create(PublishDidsConfig config) {
        TopicAdmin.ensure(config.connection(), List.of(config.topic()), config.partitions(), TopicAdmin.DEFAULT_TIMEOUT);
        Topic<String, DidWorkItem> dids = Topics.fromConfig(new AvroSerdeConfig(config.connection().requireRegistry(), true, true))
                .backfillDids().withName(config.topic());
        Map<String, Object> props = config.connection().producer();
        props.putAll(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                // Small records, many of them: batch and compress them.
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.CLIENT_ID_CONFIG, "sluice-publish-dids-" + config.runId()));
        return new DidPublisher(new KafkaProducer<>(props, dids.keySerde().serializer(), dids.valueSerde().serializer()),
                config.topic(), config.runId(), Clock.systemUTC());
    }

    public String runId() {
        return runId;
    }

    /**
     * Publishes the DIDs of {@code in} (UTF-8; a malformed byte makes its line invalid).
     *
     * @param totalBytes the input's size for progress, or -1 when unknown
     * @throws IOException    reading the input failed
     * @throws KafkaException a DID could not be published; the ones before it may have been
     */
    public PublishSummary publish(InputStream in, long totalBytes, ProgressListener listener) throws IOException {
        return publish(in, totalBytes, DEFAULT_MAX_LINE_BYTES, listener);
    }

    /**
     * As {@link #publish(InputStream, long, ProgressListener)}, with lines of at most {@code maxLineBytes}.
     *
     * @throws IllegalArgumentException if {@code maxLineBytes} is below 1
     */
    public PublishSummary publish(InputStream in, long totalBytes, int maxLineBytes, ProgressListener listener)
            throws IOException {
        long start = System.nanoTime();
        CountingInputStream counted = new CountingInputStream(in);
        BoundedLineReader reader = new BoundedLineReader(counted, maxLineBytes, 64 * 1024);
        DidHashSet seen = new DidHashSet();
        List<InvalidLine> listed = new ArrayList<>();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long lines = 0, sent = 0, duplicates = 0, invalid = 0;
        long nextProgress = 0;
        for (BoundedLineReader.Line raw = reader.readLine(); raw != null; raw = reader.readLine()) {
            lines++;
            DidLine line = raw.tooLong() ? DidLine.tooLong(raw.text(), maxLineBytes) : DidLine.classify(raw.text());
            switch (line) {
                case DidLine.Skip skip -> { }
                case DidLine.Invalid bad -> {
                    invalid++;
                    if (listed.size() < MAX_LISTED_INVALID) listed.add(new InvalidLine(lines, bad.text(), bad.reason()));
                }
                case DidLine.Valid ok when !seen.add(ok.did()) -> duplicates++;
                case DidLine.Valid ok -> {
                    throwIfFailed(failure, acked);
                    DidWorkItem item = new DidWorkItem(ok.did(), runId, clock.instant());
                    producer.send(new ProducerRecord<>(topic, ok.did(), item), (metadata, e) -> {
                        if (e == null) acked.incrementAndGet();
                        else failure.compareAndSet(null, e);
                    });
                    sent++;
                }
            }
            if (System.nanoTime() >= nextProgress) {
                listener.onProgress(new PublishProgress(lines, sent, acked.get(), duplicates, invalid, counted.count, totalBytes));
                nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
            }
        }
        producer.flush();
        throwIfFailed(failure, acked);
        listener.onProgress(new PublishProgress(lines, sent, acked.get(), duplicates, invalid, counted.count, totalBytes));
        return new PublishSummary(runId, topic, lines, acked.get(), duplicates, invalid, listed,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void throwIfFailed(AtomicReference<Exception> failure, AtomicLong acked) {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("publishing to " + topic + " failed after " + acked.get()
                    + " DIDs were acknowledged; rerun to publish the rest (the pipeline is idempotent): " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** Counts the bytes read, for progress against the file's size. */
    private static final class CountingInputStream extends FilterInputStream {
        volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
