-- Issue 11: whatever the backfill acknowledges is stored and readable, or the status says what is not.

-- Records jsonb cannot hold. An atproto record is DAG-CBOR, whose text strings may contain any Unicode
-- scalar value, U+0000 included; PostgreSQL's jsonb refuses U+0000 ("\u0000 cannot be converted to
-- text"). The fetcher (io.sluice.schemas.backfill.StorableJson) therefore escapes such a record's JSON:
-- every U+0000 in a string or key becomes the six characters \u0000 (so the JSON escape "\u0000" is
-- written as "\\u0000"), and only then it also sends the record block's exact DAG-CBOR bytes. For such a
-- row record_json_escaped is true and record_cbor holds the record without loss: read the CBOR, not the
-- JSON, when the flag is set (an original string holding the text \u0000 reads the same in the JSON).
-- Every other row has record_cbor null and the flag false: its JSON is the record exactly.
ALTER TABLE repo_records
    ADD COLUMN record_cbor         bytea,
    ADD COLUMN record_json_escaped boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT repo_records_escaped_has_cbor CHECK (record_json_escaped = (record_cbor IS NOT NULL));

-- PARTIAL: the repository was read and stored, but not every record its tree lists was produced (each
-- one not produced is on backfill.dlq or counted in dead_lettered; last_error gives the first reason).
-- DONE now means every record the tree lists was produced.
ALTER TABLE backfill_dids DROP CONSTRAINT backfill_dids_state_check;
ALTER TABLE backfill_dids ADD CONSTRAINT backfill_dids_state_check
    CHECK (state IN ('QUEUED', 'RESOLVED', 'FETCHING', 'DONE', 'FAILED', 'PARTIAL'));
ALTER TABLE backfill_dids ADD COLUMN dead_lettered bigint NOT NULL DEFAULT 0;

-- PARTIAL ranks with DONE: both are the outcome of a complete read of one export, so between the two
-- the later one wins (a task fetched twice in one run reports its latest read), and both stand above
-- FAILED, which stores nothing. The sink's StatusOrder must agree.
CREATE OR REPLACE FUNCTION backfill_state_rank(state text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE state WHEN 'QUEUED' THEN 0 WHEN 'RESOLVED' THEN 1 WHEN 'FETCHING' THEN 2
                      WHEN 'FAILED' THEN 3 WHEN 'DONE' THEN 4 WHEN 'PARTIAL' THEN 4 END;

-- RepoRecords the records sink itself could not write (dead-lettered with stage records-sink), per run,
-- written in the transaction that dead-letters them (io.sluice.sinks.backfill.RecordRejections), so the
-- DID's status says so whichever the sink sees first: a DONE of the same run becomes PARTIAL, and a DONE
-- or PARTIAL has records less and dead_lettered more by their number. A replay adds nothing twice.
CREATE TABLE repo_record_rejections (
    did        text NOT NULL,
    run_id     text NOT NULL,
    collection text NOT NULL,
    rkey       text NOT NULL,
    cid        text NOT NULL,
    PRIMARY KEY (did, run_id, collection, rkey)
);
