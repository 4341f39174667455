package io.sluice.schemas.serde;

import org.apache.kafka.common.serialization.Serdes;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} as one Kafka Streams {@code Serde}.
 * The no-argument constructor lets it be named in {@code default.key.serde} /
 * {@code default.value.serde}, configured from {@link AvroSerdeConfig}'s properties; code that has
 * a registry client uses {@link AvroSerdes} instead.
 */
public class AvroSerde<T> extends Serdes.WrapperSerde<T> {

    public AvroSerde() {
        super(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    public AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        super(serializer, deserializer);
    }
}
