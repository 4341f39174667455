-- Workload 1, the Bluesky backfill: the records sink (io.sluice.sinks.backfill.RecordsSink) writes
-- backfill.records into repo_records and backfill.status into backfill_dids. (V2 is the ETL workload's.)

-- One row per record of a backfilled repository, keyed as the repository's MST keys it.
-- Upserts keep the record of the newest export: a row changes only for a higher rev (revs are TIDs,
-- which sort as text in the C collation), so replaying the same records leaves the table as it is,
-- and an older export replayed late cannot overwrite a newer one. Records deleted from a repository
-- after an earlier backfill are not removed (the topic carries no deletions).
CREATE TABLE repo_records (
    did        text  NOT NULL,
    collection text  NOT NULL,
    rkey       text  NOT NULL,
    cid        text  NOT NULL,                 -- CID of the record block, base32 (bafyrei...)
    rev        text  COLLATE "C" NOT NULL,     -- revision (TID) of the commit exported
    record     jsonb NOT NULL,                 -- atproto JSON: {"$link": cid}, {"$bytes": base64}
    run_id     text  NOT NULL,                 -- the run that wrote this version of the row
    PRIMARY KEY (did, collection, rkey)
);

-- Views of the common Bluesky collections. Values are taken from the JSON as they are: createdAt stays
-- text (ISO 8601 as the client wrote it), because one malformed value must not make a view fail.
CREATE VIEW bsky_posts AS
SELECT did, rkey, cid, 'at://' || did || '/app.bsky.feed.post/' || rkey AS uri,
       record ->> 'text' AS text,
       record ->> 'createdAt' AS created_at,
       record -> 'reply' -> 'parent' ->> 'uri' AS reply_parent_uri,
       record -> 'reply' -> 'root' ->> 'uri' AS reply_root_uri,
       CASE WHEN jsonb_typeof(record -> 'langs') = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(record -> 'langs')) END AS langs,
       record
FROM repo_records WHERE collection = 'app.bsky.feed.post';

CREATE VIEW bsky_likes AS
SELECT did, rkey, cid, 'at://' || did || '/app.bsky.feed.like/' || rkey AS uri,
       record -> 'subject' ->> 'uri' AS subject_uri,
       record -> 'subject' ->> 'cid' AS subject_cid,
       record ->> 'createdAt' AS created_at
FROM repo_records WHERE collection = 'app.bsky.feed.like';

CREATE VIEW bsky_reposts AS
SELECT did, rkey, cid, 'at://' || did || '/app.bsky.feed.repost/' || rkey AS uri,
       record -> 'subject' ->> 'uri' AS subject_uri,
       record -> 'subject' ->> 'cid' AS subject_cid,
       record ->> 'createdAt' AS created_at
FROM repo_records WHERE collection = 'app.bsky.feed.repost';

CREATE VIEW bsky_follows AS
SELECT did, rkey, cid, 'at://' || did || '/app.bsky.graph.follow/' || rkey AS uri,
       record ->> 'subject' AS subject_did,
       record ->> 'createdAt' AS created_at
FROM repo_records WHERE collection = 'app.bsky.graph.follow';

CREATE VIEW bsky_profiles AS
SELECT did, rkey, cid,
       record ->> 'displayName' AS display_name,
       record ->> 'description' AS description,
       record -> 'avatar' -> 'ref' ->> '$link' AS avatar_cid,
       record -> 'banner' -> 'ref' ->> '$link' AS banner_cid,
       record ->> 'createdAt' AS created_at,
       record
FROM repo_records WHERE collection = 'app.bsky.actor.profile';

-- The latest state of each DID, from backfill.status. Within one run a status never moves a DID back
-- to an earlier state (QUEUED < RESOLVED < FETCHING < FAILED < DONE; among equal states the later
-- updated_at wins), so a DONE stays DONE whatever arrives late. Across runs the later updated_at wins:
-- a new run of the same DID starts it over. updated_at is the status's own time, not the sink's, so
-- replaying the topic gives the same rows.
CREATE TABLE backfill_dids (
    did        text        PRIMARY KEY,
    pds        text,                       -- PDS endpoint, null until resolved
    state      text        NOT NULL CHECK (state IN ('QUEUED', 'RESOLVED', 'FETCHING', 'DONE', 'FAILED')),
    records    bigint      NOT NULL DEFAULT 0,
    bytes      bigint      NOT NULL DEFAULT 0,
    attempts   integer     NOT NULL DEFAULT 0,
    last_error text,
    run_id     text        NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX backfill_dids_state ON backfill_dids (state);

-- The order of the states within a run; the sink's Java side (StatusOrder) must agree with it.
CREATE FUNCTION backfill_state_rank(state text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE state WHEN 'QUEUED' THEN 0 WHEN 'RESOLVED' THEN 1 WHEN 'FETCHING' THEN 2
                      WHEN 'FAILED' THEN 3 WHEN 'DONE' THEN 4 END;
