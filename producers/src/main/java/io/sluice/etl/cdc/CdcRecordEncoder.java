package io.sluice.etl.cdc;

import io.sluice.schemas.connect.AvroConverter;
import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's SourceRecords into the bytes a Kafka Connect worker would write for them, with
 * the converter connect-config configures ({@link AvroConverter}, Confluent wire format, subjects
 * {@code <topic>-key} and {@code <topic>-value}). A tombstone keeps its key and gets a null value.
 * Thread-safe.
 */
public final class CdcRecordEncoder {

    private final AvroConverter keys;
    private final AvroConverter values;

    public CdcRecordEncoder(SchemaRegistryClient registry) {
        this.keys = new AvroConverter(registry, true, true);
        this.values = new AvroConverter(registry, true, false);
    }

    public ProducerRecord<byte[], byte[]> encode(SourceRecord record) {
        byte[] key = keys.fromConnectData(record.topic(), record.keySchema(), record.key());
        byte[] value = values.fromConnectData(record.topic(), record.valueSchema(), record.value());
        // Debezium's MongoDB events carry no headers by default; Connect would copy any it had.
        return new ProducerRecord<>(record.topic(), record.kafkaPartition(), record.timestamp(), key, value, new RecordHeaders());
    }
}
