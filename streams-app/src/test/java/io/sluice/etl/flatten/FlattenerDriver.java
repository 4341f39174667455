package io.sluice.etl.flatten;

import io.sluice.common.client.ConnectionSettings;
import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcRecordEncoder;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.util.List;

/**
 * The flattener topology in a TopologyTestDriver, fed with change events that Debezium's own code
 * built from generated users ({@link UserChangeFeed}) and the connector's converter encoded: the
 * bytes a Connect worker would have written, through an in-memory registry instead of a live one.
 */
final class FlattenerDriver implements AutoCloseable {

    static final String CDC_TOPIC = "cdc.shop.users";
    static final long NOW = 1_750_000_000_000L;

    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final AvroSerdes serdes = new AvroSerdes(registry, true);
    final UserChangeFeed feed = new UserChangeFeed(new UserGenerator(11), new MongoChangeEvents("shop", clock()));
    final CdcRecordEncoder encoder = new CdcRecordEncoder(registry);
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> cdc;
    final TestOutputTopic<Long, UserRows> rows;
    final TestOutputTopic<byte[], byte[]> dlq;

    FlattenerDriver() {
        this(UnknownFields.IGNORE);
    }

    FlattenerDriver(UnknownFields unknownFields) {
        FlattenerConfig config = FlattenerConfig.defaults(ConnectionSettings.plaintext("unused:9092", "http://unused.invalid"))
                .withUnknownFields(unknownFields);
        driver = new TopologyTestDriver(FlattenerTopology.build(config, serdes), config.streamsProperties());
        cdc = driver.createInputTopic(CDC_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        rows = driver.createOutputTopic(config.outputTopic(), serdes.longKey().deserializer(),
                serdes.specificValue(UserRows.class).deserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** What the flattener must give for {@code doc} at the position {@code out} carries (asserted apart). */
    static UserRows flattenedAs(org.bson.BsonDocument doc, UserRows out) {
        UserRows expected = UserFlattener.flatten(doc, out.getSourceTs());
        expected.setSourceOrd(out.getSourceOrd());
        return expected;
    }

    private static Clock clock() {
        return () -> NOW;
    }

    void pipe(SourceRecord event) {
        ProducerRecord<byte[], byte[]> encoded = encoder.encode(event);
        cdc.pipeInput(new TestRecord<>(encoded.key(), encoded.value()));
    }

    void pipe(List<SourceRecord> events) {
        events.forEach(this::pipe);
    }

    void pipeRaw(byte[] key, byte[] value) {
        cdc.pipeInput(new TestRecord<>(key, value));
    }

    @Override
    public void close() {
        driver.close();
    }
}
