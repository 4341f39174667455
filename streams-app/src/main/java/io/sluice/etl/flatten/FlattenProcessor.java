package io.sluice.etl.flatten;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroDeserializer;
import io.sluice.schemas.serde.AvroSerdes;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and flattens each CDC record. Consumes raw key and value bytes (so a record that is not
 * valid Avro is dead-lettered here rather than stopping the application); forwards a
 * {@link FlattenOutcome.Rows} per change or a {@link FlattenOutcome.DeadLetter} with the
 * {@link DeadLetter} headers (stage {@value #STAGE}, a {@link FlattenReason}); the dead letter keeps the
 * record's key and value bytes and its timestamp. Tombstones are dropped:
 * the delete event before each one already produced the deletion.
 *
 * <p>What is the record's fault and what is not: bytes that do not decode are {@code deserialization}; any
 * exception from mapping a decoded event is the record's ({@code invalid-document}, or {@code unknown-field}),
 * since mapping is a pure function of it, so no value can stop the stage. A registry outage while decoding
 * ({@code SchemaRegistryException}) and any failure while forwarding (writing the rows) are not the record's:
 * they propagate, so Streams retries the record instead of dead-lettering it.
 */
final class FlattenProcessor implements Processor<byte[], byte[], byte[], FlattenOutcome> {

    /** The {@code sluice.dlq.stage} of its dead letters. */
    static final String STAGE = "flattener";

    private static final Logger LOG = LoggerFactory.getLogger(FlattenProcessor.class);

    private final AvroDeserializer<GenericRecord> keys;
    private final AvroDeserializer<GenericRecord> values;
    private final UnknownFields unknownFields;
    private ProcessorContext<byte[], FlattenOutcome> context;

    FlattenProcessor(AvroSerdes serdes, UnknownFields unknownFields) {
        this.keys = AvroDeserializer.generic(serdes.client(), null, true);
        this.values = AvroDeserializer.generic(serdes.client(), null, false);
        this.unknownFields = unknownFields;
    }

    @Override
    public void init(ProcessorContext<byte[], FlattenOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) return;
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        GenericRecord key;
        GenericRecord envelope;
        try {
            key = record.key() == null ? null : keys.deserialize(topic, record.key());
            envelope = values.deserialize(topic, record.value());
        } catch (SerializationException | ClassCastException e) {
            // ClassCastException: a key or value that decodes to a primitive, not a record
            deadLetter(record, topic, FlattenReason.DESERIALIZATION, e);
            return;
        }
        UserRows rows;
        try {
            rows = CdcEvents.toRows(key, envelope, unknownFields);
        } catch (RuntimeException e) {
            // No I/O happens here: whatever mapping throws (ours, or the BSON library's on an odd value)
            // it would throw again on every retry, and rethrowing would stop the partition for good.
            deadLetter(record, topic, e instanceof UnknownFieldException ? FlattenReason.UNKNOWN_FIELD
                    : FlattenReason.INVALID_DOCUMENT, e);
            return;
        }
        // Outside the try: a failure to write the rows is the infrastructure's, never the record's.
        context.forward(record.withValue(new FlattenOutcome.Rows(rows)));
    }

    private void deadLetter(Record<byte[], byte[]> record, String topic, FlattenReason reason, RuntimeException e) {
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        LOG.warn("dead-lettering {}-{}@{} ({}): {}", topic, partition, offset, reason.code(), e.toString());
        context.forward(record.withValue((FlattenOutcome) new FlattenOutcome.DeadLetter(record.value()))
                .withHeaders(DeadLetter.headers(record.headers(), STAGE, reason.code(), topic, partition, offset, e)));
    }
}
