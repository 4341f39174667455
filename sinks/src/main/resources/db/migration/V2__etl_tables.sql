-- The ETL workload's 15 tables (DESIGN.md, workload 2): the relational rows of one MongoDB user
-- document, written by the ETL sink (io.sluice.sinks.etl.UserRowsWriter) from etl.user-rows.
--
-- Names are unqualified on purpose: Flyway runs this with the sink's schema as search_path, and
-- io.sluice.sinks.etl.EtlSchema runs the same text into another schema (the direct baseline's).
--
-- Child row ids are user_id * 10000 + index (see UserRows.avsc). Every child table references users
-- and has an index on user_id: the sink replaces a user's rows with DELETE ... WHERE user_id = ANY(?),
-- and deleting a users row makes PostgreSQL look for referencing rows in each child table; without
-- the index each of those lookups would scan the whole table.
-- No ON DELETE CASCADE: the sink deletes children first, so a missed table fails loudly instead.
--
-- The foreign keys are DEFERRABLE (INITIALLY IMMEDIATE, so anyone else gets them checked per statement):
-- the sink defers them while it replaces a batch's rows and makes them IMMEDIATE before it returns, so
-- every row is still checked inside its transaction. Deferred, deleting a users or messages row that
-- the same batch writes again costs one primary-key lookup (PostgreSQL sees the key is back) instead
-- of one lookup per referencing table.

CREATE TABLE users (
    id          bigint      PRIMARY KEY,
    username    text        UNIQUE,
    email       text        UNIQUE,
    first_name  text,
    last_name   text,
    age         integer,
    created_at  timestamptz,
    updated_at  timestamptz
);

CREATE TABLE addresses (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    street      text,
    city        text,
    state       text,
    zip         text,
    country     text,
    coordinates jsonb
);
CREATE INDEX addresses_user_id_idx ON addresses (user_id);

CREATE TABLE profiles (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    bio         text,
    avatar_url  text,
    interests   jsonb,
    skills      jsonb
);
CREATE INDEX profiles_user_id_idx ON profiles (user_id);

CREATE TABLE education (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    institution text,
    degree      text,
    field       text,
    start_year  integer,
    end_year    integer
);
CREATE INDEX education_user_id_idx ON education (user_id);

CREATE TABLE experience (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    company     text,
    title       text,
    start_date  date,
    end_date    date,
    description text
);
CREATE INDEX experience_user_id_idx ON experience (user_id);

CREATE TABLE preferences (
    id                  bigint  PRIMARY KEY,
    user_id             bigint  NOT NULL REFERENCES users (id) DEFERRABLE,
    theme               text,
    language            text,
    email_notifications boolean,
    push_notifications  boolean,
    sms_notifications   boolean
);
CREATE INDEX preferences_user_id_idx ON preferences (user_id);

CREATE TABLE settings (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    privacy     text,
    two_factor  boolean,
    extra       jsonb
);
CREATE INDEX settings_user_id_idx ON settings (user_id);

CREATE TABLE activity_log (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    action      text,
    ip          text,
    "timestamp" timestamptz
);
CREATE INDEX activity_log_user_id_idx ON activity_log (user_id);

CREATE TABLE transactions (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    -- numeric without a typmod: the source's decimal text is kept exactly, whatever its scale.
    amount      numeric,
    currency    text,
    status      text,
    "timestamp" timestamptz
);
CREATE INDEX transactions_user_id_idx ON transactions (user_id);

CREATE TABLE messages (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    sender      text,
    recipient   text,
    subject     text,
    body        text,
    sent_at     timestamptz
);
CREATE INDEX messages_user_id_idx ON messages (user_id);

-- Both the message and the user: the user to replace a user's attachments without a join, the
-- message because an attachment belongs to one (deleting a message looks its attachments up).
CREATE TABLE attachments (
    id          bigint      PRIMARY KEY,
    message_id  bigint      NOT NULL REFERENCES messages (id) DEFERRABLE,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    filename    text,
    size        bigint,
    mime_type   text
);
CREATE INDEX attachments_user_id_idx ON attachments (user_id);
CREATE INDEX attachments_message_id_idx ON attachments (message_id);

CREATE TABLE social_media (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    twitter     text,
    linkedin    text,
    github      text
);
CREATE INDEX social_media_user_id_idx ON social_media (user_id);

-- posts and groups reference users, not social_media: their rows carry only the user id (a
-- document may hold posts without handles), and one social_media row per user adds no information.
CREATE TABLE posts (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    content     text,
    likes       integer,
    created_at  timestamptz
);
CREATE INDEX posts_user_id_idx ON posts (user_id);

CREATE TABLE groups (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    name        text,
    role        text,
    joined_at   timestamptz
);
CREATE INDEX groups_user_id_idx ON groups (user_id);

CREATE TABLE large_data (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) DEFERRABLE,
    content     text
);
CREATE INDEX large_data_user_id_idx ON large_data (user_id);

-- A few KB of text per user: lz4 compresses it several times faster than the default pglz, which
-- would otherwise be a good part of the sink's write time. A server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE large_data ALTER COLUMN content SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available, large_data.content keeps the default compression';
END
$$;
