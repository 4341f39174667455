-- Issue 17: a rerun downloads a repository again only when it changed.

-- The revision of the export each status describes (DidStatus.rev: DONE and PARTIAL carry it).
ALTER TABLE backfill_dids ADD COLUMN rev text COLLATE "C";

-- Per DID, the last export stored completely: the newest DONE status with a rev (by updated_at), written
-- in the transaction that reads it (io.sluice.sinks.backfill.StoredExports), from every status of a batch,
-- not only the one backfill_dids keeps. A later run's QUEUED, RESOLVED, FETCHING or FAILED leaves it (its
-- records are still stored); a newer PARTIAL or DONE without a rev, or a record of the DID the sink itself
-- refused (RecordRejections), removes it. The fetcher reads it (given --pg-url): it asks the PDS for the
-- repository's latest revision and, when it is this one, reports DONE with these counts instead of
-- downloading again.
CREATE TABLE backfill_stored (
    did        text        PRIMARY KEY,
    rev        text        COLLATE "C" NOT NULL,
    records    bigint      NOT NULL,
    bytes      bigint      NOT NULL,
    updated_at timestamptz NOT NULL            -- the DONE status's own time
);
