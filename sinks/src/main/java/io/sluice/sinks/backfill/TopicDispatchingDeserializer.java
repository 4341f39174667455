package io.sluice.sinks.backfill;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;

/**
 * One sink consumes two topics with two value types: this picks the deserializer by topic, so that
 * each record is read with its own topic's type (RepoRecord or DidStatus) and a record on any other
 * topic is a deserialization error, which the sink core dead-letters.
 */
final class TopicDispatchingDeserializer implements Deserializer<SpecificRecord> {

    private final Map<String, Deserializer<? extends SpecificRecord>> byTopic;

    TopicDispatchingDeserializer(Map<String, Deserializer<? extends SpecificRecord>> byTopic) {
        this.byTopic = Map.copyOf(byTopic);
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return forTopic(topic).deserialize(topic, data);
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        return forTopic(topic).deserialize(topic, headers, data);
    }

    private Deserializer<? extends SpecificRecord> forTopic(String topic) {
        Deserializer<? extends SpecificRecord> d = byTopic.get(topic);
        if (d == null) throw new SerializationException("no value type for topic " + topic + "; expected one of " + byTopic.keySet());
        return d;
    }

    @Override
    public void close() {
        byTopic.values().forEach(Deserializer::close);
    }
}
