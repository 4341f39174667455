package io.sluice.sinks.core;

import org.apache.kafka.common.serialization.Deserializer;

import javax.sql.DataSource;
import java.util.function.UnaryOperator;

/** Reaches the sink core's package-private test seam from the tests of the sinks built on it. */
public final class TestSinks {

    private TestSinks() {
    }

    /** A sink as {@code new ExactlyOnceSink<>(config, keys, values, writer)}, connecting through {@code connections}. */
    public static <K, V> ExactlyOnceSink<K, V> connectingThrough(UnaryOperator<DataSource> connections, SinkConfig config,
                                                                 Deserializer<K> keys, Deserializer<V> values,
                                                                 SinkWriter<K, V> writer) {
        return new ExactlyOnceSink<>(config, keys, values, writer, connections);
    }
}
