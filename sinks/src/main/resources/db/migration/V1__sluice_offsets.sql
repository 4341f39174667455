-- The consumed Kafka offsets of every sink, written in the same transaction as the sink's rows:
-- this table, not Kafka's __consumer_offsets, is where a sink resumes from.
-- next_offset is the offset of the next record to read (Kafka's committed-offset convention).
CREATE TABLE sluice_offsets (
    group_id    text        NOT NULL,
    topic       text        NOT NULL,
    partition   integer     NOT NULL CHECK (partition >= 0),
    next_offset bigint      NOT NULL CHECK (next_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition)
);
