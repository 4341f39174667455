package io.sluice.etl.cdc;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Publishes Debezium change events (SourceRecords from {@link MongoChangeEvents}) to their
 * {@code cdc.<db>.users} topic, encoded as a Connect worker running connect-config would write them.
 * The embedded stack's, the tests' and the benchmark's stand-in for MongoDB plus Kafka Connect.
 *
 * <p>Guarantees: an idempotent producer with {@code acks=all}, so no event is duplicated or
 * reordered per partition; {@link #publish} returns only when every event is acknowledged and
 * throws if any failed. Call {@link #ensureTopic} first: an idempotent producer that sends right
 * after its topic is created can lose its first batch (KAFKA-15591), so the topic must exist with a
 * leader for every partition before the first send. Not thread-safe.
 */
public final class CdcEventPublisher implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final CdcRecordEncoder encoder;

    public CdcEventPublisher(Producer<byte[], byte[]> producer, CdcRecordEncoder encoder) {
        this.producer = producer;
        this.encoder = encoder;
    }

    /** A publisher with its own idempotent producer; {@code overrides} go on top of the defaults. */
    public static CdcEventPublisher create(ConnectionSettings connection, SchemaRegistryClient registry, Map<String, ?> overrides) {
        Map<String, Object> props = connection.producer();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.putAll(overrides);
        return new CdcEventPublisher(new KafkaProducer<>(props), new CdcRecordEncoder(registry));
    }

    /**
     * Creates {@code topic} unless it exists, then waits until every partition has a leader; kept for
     * its callers, it is {@link TopicAdmin#ensureTopics} for one topic.
     *
     * @throws org.apache.kafka.common.KafkaException when the topic cannot be created or is not ready within {@code timeout}
     */
    public static void ensureTopic(Admin admin, String topic, int partitions, short replicationFactor, Duration timeout) {
        TopicAdmin.ensureTopics(admin, List.of(new NewTopic(topic, partitions, replicationFactor)), timeout);
    }

    /** Sends one event; the future completes when the broker acknowledged it. */
    public Future<RecordMetadata> send(SourceRecord event) {
        return producer.send(encoder.encode(event));
    }

    /**
     * Sends the events in order and waits for every acknowledgement.
     *
     * @return how many records were written
     * @throws IllegalStateException naming the first event that failed
     */
    public int publish(List<SourceRecord> events) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (SourceRecord event : events) acks.add(send(event));
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("event " + i + " of " + events.size() + " to " + events.get(i).topic()
                        + " was not written: " + e.getCause(), e.getCause());
            }
        }
        return acks.size();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
