package io.sluice.sinks.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.CompletableFuture;

/**
 * Where the sink sends a record it cannot write (undeserializable, or rejected by the writer). The sink
 * waits for every returned future before it commits the batch's offsets, so a reported record is never
 * lost; after a crash it may be reported twice.
 */
@FunctionalInterface
public interface ErrorReporter {

    /** Drops the record (the sink still logs and counts it), for sinks that want no dead-letter topic. */
    ErrorReporter NONE = (record, reason, error) -> CompletableFuture.completedFuture(null);

    /**
     * @param record the record as consumed (raw key and value bytes, headers)
     * @param reason why it was not written, machine-readable
     * @param error  the failure
     * @return completes when the report is durable, exceptionally if it could not be made
     */
    CompletableFuture<Void> report(ConsumerRecord<byte[], byte[]> record, SinkReason reason, Exception error);
}
