-- Per repository (DID), the newest revision (TID) of which the records sink has applied records,
-- written in the same transaction as the records and the offsets (io.sluice.sinks.backfill.RepoRevisions).
-- A repository export carries one rev for all its records; a record of an older export than this one
-- is skipped, so replaying an older run cannot bring back a record the newer export no longer has
-- (repo_records' own "WHERE EXCLUDED.rev > rev" only protects keys that exist). C collation: TIDs
-- are base32-sortable, so text order is time order.
CREATE TABLE repo_revisions (
    did  text PRIMARY KEY,
    rev  text COLLATE "C" NOT NULL
);
