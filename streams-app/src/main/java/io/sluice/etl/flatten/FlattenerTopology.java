package io.sluice.etl.flatten;

import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.Map;

/**
 * The flattener: {@code cdc.<db>.users} (Debezium MongoDB change events) → {@code etl.user-rows}
 * (one {@link UserRows} bundle per change, keyed by user id) and {@code etl.dlq} (events that cannot
 * be mapped, original bytes, reason in headers). Stateless; run with exactly_once_v2 so each change's
 * bundle is written exactly once together with the input offset. Per user, bundles keep the CDC
 * topic's order: Debezium keys events by {@code _id}, so one user's changes share a partition.
 * Operators are named so internal names stay stable across releases.
 */
public final class FlattenerTopology {

    static final String SOURCE = "etl-cdc-source";
    static final String FLATTEN = "etl-flatten";

    private FlattenerTopology() {
    }

    public static Topology build(FlattenerConfig config, AvroSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], byte[]> cdc = builder.stream(config.sourcePattern(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE));
        Map<String, KStream<byte[], FlattenOutcome>> outcomes = cdc
                .process(() -> new FlattenProcessor(serdes, config.unknownFields()), Named.as(FLATTEN))
                .split(Named.as("etl-outcome-"))
                .branch((key, outcome) -> outcome instanceof FlattenOutcome.Rows, Branched.as("rows"))
                .defaultBranch(Branched.as("dlq"));

        outcomes.get("etl-outcome-rows")
                .map((key, outcome) -> {
                    UserRows rows = ((FlattenOutcome.Rows) outcome).rows();
                    return KeyValue.pair(rows.getUserId(), rows);
                }, Named.as("etl-key-by-user"))
                .to(config.outputTopic(), Produced.with(serdes.longKey(), serdes.specificValue(UserRows.class))
                        .withName("etl-user-rows-sink"));

        outcomes.get("etl-outcome-dlq")
                .mapValues(outcome -> ((FlattenOutcome.DeadLetter) outcome).value(), Named.as("etl-dlq-value"))
                .to(config.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("etl-dlq-sink"));
        return builder.build();
    }
}
