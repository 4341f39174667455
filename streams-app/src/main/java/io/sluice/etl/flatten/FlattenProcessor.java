package io.sluice.etl.flatten;

import io.sluice.common.dlq.DeadLetter;
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
 * the delete event before each one already produced the deletion. A registry outage is not the
 * record's fault: it propagates, so Streams retries the record instead of dead-lettering it.
 */
final class FlattenProcessor implements Processor<byte[], byte[], byte[], FlattenOutcome> {

    /** The {@code sluice.dlq.stage} of its dead letters. */
    static final String STAGE = "flattener";

    private static final Logger LOG = LoggerFactory.getLogger(FlattenProcessor.class);

    private final AvroDeserializer<GenericRecord> keys;
    private final AvroDeserializer<GenericRecord> values;
    private ProcessorContext<byte[], FlattenOutcome> context;

    FlattenProcessor(AvroSerdes serdes) {
        this.keys = AvroDeserializer.generic(serdes.client(), null, true);
        this.values = AvroDeserializer.generic(serdes.client(), null, false);
    }

    @Override
    public void init(ProcessorContext<byte[], FlattenOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) return;
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        try {
            GenericRecord key = record.key() == null ? null : keys.deserialize(topic, record.key());
            GenericRecord envelope = values.deserialize(topic, record.value());
            context.forward(record.withValue(new FlattenOutcome.Rows(CdcEvents.toRows(key, envelope))));
        } catch (UnmappableDocumentException | SerializationException | ClassCastException e) {
            // ClassCastException: a key or value that decodes to a primitive, not a record
            int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
            long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
            FlattenReason reason = e instanceof UnmappableDocumentException
                    ? FlattenReason.INVALID_DOCUMENT : FlattenReason.DESERIALIZATION;
            LOG.warn("dead-lettering {}-{}@{} ({}): {}", topic, partition, offset, reason.code(), e.getMessage());
            context.forward(record.withValue((FlattenOutcome) new FlattenOutcome.DeadLetter(record.value()))
                    .withHeaders(DeadLetter.headers(record.headers(), STAGE, reason.code(), topic, partition, offset, e)));
        }
    }
}
