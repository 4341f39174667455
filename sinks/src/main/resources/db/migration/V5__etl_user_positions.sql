-- Per user, the source position (Debezium source.ts_ms, source.ord) of the last change the ETL sink
-- applied, deletions included, written in the same transaction as the user's rows and the offsets.
-- The sink skips any change at or before it, so a redelivered, replayed or reordered older change
-- cannot revert a newer one (io.sluice.sinks.etl.UserRowsWriter). A deletion's row is what stops a
-- stale create from bringing the user back; it is kept for the sink's delete retention (updated_at is
-- when the sink applied the deletion) and then removed. A live user's row is kept as long as the user.
-- source_ord is null for changes that carried none (bundles from before positions were carried).

CREATE TABLE etl_user_positions (
    user_id       bigint      PRIMARY KEY,
    source_ts_ms  bigint      NOT NULL,
    source_ord    integer,
    deleted       boolean     NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- The retention cleanup looks only at deletions, oldest first.
CREATE INDEX etl_user_positions_deleted_at ON etl_user_positions (updated_at) WHERE deleted;
