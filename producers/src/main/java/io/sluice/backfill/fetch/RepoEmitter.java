package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.backfill.StorableJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records of one fetch attempt, to Kafka through {@link Outputs}. Consumes what
 * {@link RepoExtractor#walk} hands over; produces a RepoRecord per decoded record (made storable by
 * {@link StorableJson}), and a dead letter naming the record for each one refused by the decoder or
 * over {@link FetcherConfig#maxRecordBytes()}. Counts both, so the DidStatus can say exactly what was
 * stored: {@link #produced()} is the number of records sent, {@link #deadLettered()} the number not.
 * One per attempt, used on the attempt's thread.
 */
final class RepoEmitter implements RepoExtractor.Emitter {

    private final Outputs outputs;
    private final TaskAcks acks;
    private final ConsumerRecord<byte[], byte[]> source;
    private final FetchTask task;
    private final byte[] key;
    private long produced;
    private long deadLettered;
    private String firstError;

    RepoEmitter(Outputs outputs, TaskAcks acks, ConsumerRecord<byte[], byte[]> source, FetchTask task) {
        this.outputs = outputs;
        this.acks = acks;
        this.source = source;
        this.task = task;
        this.key = outputs.recordKey(task.getDid());
    }

    @Override
    public void record(String rev, String collection, String rkey, Cid cid, String json, byte[] cbor) {
        RepoRecord record = StorableJson.apply(RepoRecord.newBuilder().setDid(task.getDid()).setCollection(collection)
                .setRkey(rkey).setCid(cid.toString()).setRev(rev).setRunId(task.getRunId()), json, cbor).build();
        try {
            outputs.record(acks, key, record);
            produced++;
        } catch (Outputs.RecordTooLargeException e) {
            deadLetter(collection, rkey, cid, FailureReason.RECORD_TOO_LARGE, e.getMessage(), e.getClass().getName());
        }
    }

    @Override
    public void rejected(String collection, String rkey, Cid cid, RecordDecoder.Rejected why) {
        Throwable cause = why.getCause() != null ? why.getCause() : why;
        deadLetter(collection, rkey, cid, why.reason(), why.getMessage(), cause.getClass().getName());
    }

    private void deadLetter(String collection, String rkey, Cid cid, FailureReason reason, String text, String errorClass) {
        String message = "record " + collection + "/" + rkey + " (" + cid + "): " + text;
        outputs.recordDeadLetter(acks, source, reason, message, errorClass, task.getAttempt(), collection, rkey,
                cid.toString());
        deadLettered++;
        if (firstError == null) firstError = reason.code() + ": " + message;
    }

    long produced() {
        return produced;
    }

    long deadLettered() {
        return deadLettered;
    }

    /** The first record's dead letter, as DidStatus.last_error has it; null when there was none. */
    String firstError() {
        return firstError;
    }
}
