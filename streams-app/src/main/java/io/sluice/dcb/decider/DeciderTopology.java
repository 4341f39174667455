package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;

/**
 * The DCB decider: consumes dcb.commands, decides each command against the index in its state
 * stores ({@link DeciderStores}), and produces dcb.events (the log, keyed by position),
 * dcb.results (one AppendResult per command, keyed by request id); commands that cannot be read
 * go to dcb.dlq through {@link io.sluice.streams.dlq.DeadLetterHandler} ({@link DeciderApp}). Commands are decided one at a time in offset order on their partition: one
 * writer, so a condition check and the append it guards cannot interleave with another append.
 * Run it with {@code exactly_once_v2} ({@link DeciderApp}): events, results, store changes and the
 * consumed offset then commit together.
 *
 * <pre>
 *   dcb-commands-source → dcb-decider ─┬→ dcb-events-sink   (dcb.events)
 *                         [4 stores]    └→ dcb-results-sink  (dcb.results)
 * </pre>
 */
public final class DeciderTopology {

    public static final String SOURCE = "dcb-commands-source";
    public static final String PROCESSOR = "dcb-decider";
    public static final String EVENTS_SINK = "dcb-events-sink";
    public static final String RESULTS_SINK = "dcb-results-sink";

    private DeciderTopology() {
    }

    /** The topology with serdes over an HTTP client for {@code config.connection()}'s registry. */
    public static Topology build(DeciderConfig config) {
        return build(config, Topics.create(HttpSchemaRegistryClient.create(config.connection().requireRegistry()), config.autoRegisterSchemas()));
    }

    /** The topology with the serdes of {@code topics}; the topic names come from {@code config}. */
    public static Topology build(DeciderConfig config, Topics topics) {
        Topic<Long, Event> events = topics.dcbEvents().withName(config.eventsTopic());
        return build(config, topics, new KafkaEventLog(config.connection(), events.name(), events.valueSerde().deserializer()));
    }

    /** The topology with the stores brought up to date from {@code eventLog} (a test's, or {@link KafkaEventLog}). */
    public static Topology build(DeciderConfig config, Topics topics, EventLog eventLog) {
        Topic<String, AppendCommand> commands = topics.dcbCommands().withName(config.commandsTopic());
        Topic<Long, Event> events = topics.dcbEvents().withName(config.eventsTopic());
        Topic<String, AppendResult> results = topics.dcbResults().withName(config.resultsTopic());

        Topology topology = new Topology();
        // Earliest: a decider starting without committed offsets must decide every command ever sent.
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, commands.keySerde().deserializer(),
                commands.valueSerde().deserializer(), commands.name());
        topology.addProcessor(PROCESSOR, DeciderProcessor.supplier(config.storeType(), config.limits(), eventLog), SOURCE);
        topology.addSink(EVENTS_SINK, events.name(), events.keySerde().serializer(), events.valueSerde().serializer(), PROCESSOR);
        topology.addSink(RESULTS_SINK, results.name(), results.keySerde().serializer(), results.valueSerde().serializer(),
                PROCESSOR);
        return topology;
    }
}
