package io.sluice.streams.transactions;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionalOutputsTest {

    @Test
    void theSinkTopicsAreTheNamedOnes() {
        StreamsBuilder builder = new StreamsBuilder();
        var in = builder.<String, String>stream("in");
        in.to("out-a", Produced.as("to-a"));
        in.filter((k, v) -> v != null, Named.as("kept")).to("out-b", Produced.as("to-b"));
        // a topic chosen per record has no name in the description: only the application's prefix covers it
        in.to((k, v, ctx) -> "dynamic-" + k, Produced.as("to-dynamic"));
        Topology topology = builder.build();

        assertThat(TransactionalOutputs.sinkTopics(topology)).containsExactlyInAnyOrder("out-a", "out-b");
    }

    @Test
    void theTransactionTimeoutIsTheProducersOrStreamsDefault() {
        Properties props = new Properties();
        assertThat(TransactionalOutputs.transactionTimeoutMs(props)).isEqualTo(10_000);
        props.put("transaction.timeout.ms", "7000");
        assertThat(TransactionalOutputs.transactionTimeoutMs(props)).isEqualTo(7_000);
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 5000);
        assertThat(TransactionalOutputs.transactionTimeoutMs(props)).isEqualTo(5_000);
    }
}
