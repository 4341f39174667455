-- The DCB event log as the events sink writes it from dcb.events: one row per event, at the
-- position the decider gave it. Positions start at 1 and have no gaps; the sink writes them in
-- order, one transaction per batch, so max(position) committed implies every lower one is.
CREATE TABLE events (
    position    bigint      PRIMARY KEY CHECK (position >= 1),
    type        text        NOT NULL,
    tags        text[]      NOT NULL DEFAULT '{}',
    data        text        NOT NULL,
    appended_at timestamptz NOT NULL
);

-- Query items with tags: tags @> ARRAY[...] uses the GIN index.
CREATE INDEX events_tags_gin ON events USING gin (tags);
-- Query items with types only: type = ANY(...) ORDER BY position, forwards or backwards.
CREATE INDEX events_type_position ON events (type, position);

-- Which dcb.events log the rows above were copied from (Kafka's topic id, new for every topic
-- created): a log recreated under the same name (a fresh embedded broker) must not be merged
-- into the rows of the old one.
CREATE TABLE dcb_event_log (
    topic      text        PRIMARY KEY,
    topic_id   text        NOT NULL,
    adopted_at timestamptz NOT NULL DEFAULT now()
);
