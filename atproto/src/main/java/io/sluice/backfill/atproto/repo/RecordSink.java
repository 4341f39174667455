package io.sluice.backfill.atproto.repo;

/** Receives records from {@link RepoParser}, in key order, on the parsing thread. */
@FunctionalInterface
public interface RecordSink {

    /** Discards records: for summaries and validation runs. */
    RecordSink NONE = record -> { };

    void accept(RepoRecord record);
}
