package io.sluice.schemas.topics;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.util.Objects;

/**
 * A topic's name together with the serdes of its keys and values, so the two never drift apart.
 *
 * @param name       the topic name
 * @param keySerde   serde of the record keys
 * @param valueSerde serde of the record values
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("topic name must not be blank");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    /** The same key and value types on another topic, e.g. a per-test copy. */
    public Topic<K, V> withName(String otherName) {
        return new Topic<>(otherName, keySerde, valueSerde);
    }

    /** Registry subject of the key schema (TopicNameStrategy). */
    public String keySubject() {
        return name + "-key";
    }

    /** Registry subject of the value schema (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /** For {@code builder.stream(topic.name(), topic.consumed())}. */
    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    /** For {@code stream.to(topic.name(), topic.produced())}. */
    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }
}
