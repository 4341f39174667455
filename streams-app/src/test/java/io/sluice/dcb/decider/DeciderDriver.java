package io.sluice.dcb.decider;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decider topology in a TopologyTestDriver with the application's own Streams settings
 * (exactly_once_v2, the DLQ handler) and the real Avro serdes over an in-memory registry.
 */
final class DeciderDriver implements AutoCloseable {

    static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:01Z");

    private final DeciderConfig config;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, AppendCommand> commands;
    private final TestInputTopic<byte[], byte[]> rawCommands;
    private final TestOutputTopic<Long, Event> events;
    private final TestOutputTopic<String, AppendResult> results;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final Serializer<String> keySerializer;
    private final List<Event> allEvents = new ArrayList<>();

    DeciderDriver(Path stateDir, StoreType storeType) {
        this(stateDir, storeType, true, (position, each) -> { });
    }

    /** A decider whose stores are brought up to date from {@code log}, as from dcb.events after a reset. */
    DeciderDriver(Path stateDir, StoreType storeType, EventLog log) {
        this(stateDir, storeType, true, log);
    }

    DeciderDriver(Path stateDir, StoreType storeType, boolean exactlyOnce) {
        this(stateDir, storeType, exactlyOnce, (position, each) -> { });
    }

    /**
     * @param exactlyOnce false only to observe what the deserialization handler sends to the DLQ:
     *                    under exactly-once the driver's mock producer drops records sent while
     *                    no record was processed (the skipped one), before any commit
     */
    private DeciderDriver(Path stateDir, StoreType storeType, boolean exactlyOnce, EventLog log) {
        this.config = DeciderConfig.defaults(ConnectionSettings.plaintext("unused:9092", "http://unused.invalid/apis/ccompat/v7"))
                .withStateDir(stateDir).withStoreType(storeType);
        Topics topics = Topics.create(new InMemorySchemaRegistry(), true);
        Properties props = DeciderApp.streamsProperties(config);
        if (!exactlyOnce) props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        this.driver = new TopologyTestDriver(DeciderTopology.build(config, topics, log), props, WALL_CLOCK);
        this.keySerializer = topics.dcbCommands().keySerde().serializer();
        this.commands = driver.createInputTopic(config.commandsTopic(), keySerializer,
                topics.dcbCommands().valueSerde().serializer());
        this.rawCommands = driver.createInputTopic(config.commandsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        this.events = driver.createOutputTopic(config.eventsTopic(), topics.dcbEvents().keySerde().deserializer(),
                topics.dcbEvents().valueSerde().deserializer());
        this.results = driver.createOutputTopic(config.resultsTopic(), topics.dcbResults().keySerde().deserializer(),
                topics.dcbResults().valueSerde().deserializer());
        this.dlq = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends one command keyed "dcb" and returns its one result; the events it appended go to {@link #lastEvents}. */
    AppendResult send(AppendCommand command) {
        return send(Topics.DCB_COMMAND_KEY, command);
    }

    AppendResult send(String key, AppendCommand command) {
        commands.pipeInput(key, command);
        return onlyResult();
    }

    private List<Event> lastEvents = List.of();

    AppendResult onlyResult() {
        List<TestRecord<String, AppendResult>> out = results.readRecordsToList();
        assertThat(out).as("one result per command").hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(out.get(0).value().getRequestId());
        lastEvents = events.readRecordsToList().stream().map(r -> {
            assertThat(r.key()).as("events are keyed by position").isEqualTo(r.value().getPosition());
            return r.value();
        }).toList();
        allEvents.addAll(lastEvents);
        return out.get(0).value();
    }

    /** The events the last {@link #send} appended. */
    List<Event> lastEvents() {
        return lastEvents;
    }

    /** Every event appended through this driver, in output order. */
    List<Event> allEvents() {
        return List.copyOf(allEvents);
    }

    /** A command record keyed "dcb" without a value. */
    void sendTombstone() {
        commands.pipeInput(Topics.DCB_COMMAND_KEY, null);
    }

    /** The serialized form of the key {@link #sendTombstone} sends. */
    byte[] commandKeyBytes() {
        return keySerializer.serialize(config.commandsTopic(), Topics.DCB_COMMAND_KEY);
    }

    void sendRaw(byte[] key, byte[] value) {
        rawCommands.pipeInput(key, value);
    }

    List<TestRecord<byte[], byte[]>> dlq() {
        return dlq.readRecordsToList();
    }

    boolean noResultsPending() {
        return results.isEmpty() && events.isEmpty();
    }

    TopologyTestDriver driver() {
        return driver;
    }

    DeciderConfig config() {
        return config;
    }

    @Override
    public void close() {
        driver.close();
    }
}
