package io.sluice.backfill.fetch;

import java.util.Optional;

/**
 * What the records sink last stored completely for a DID (its {@code backfill_stored} table): the
 * revision, and the counts its DONE status had. Empty when nothing is stored, or when it cannot be
 * told now; then the fetcher downloads, which costs a download and never loses a record.
 */
interface StoredRepos extends AutoCloseable {

    /** @param rev the revision (TID) of the export stored */
    record Stored(String rev, long records, long bytes) {
    }

    /** No lookups: every repository is downloaded (no database given, or {@code --refetch}). */
    StoredRepos NONE = new StoredRepos() {
        @Override
        public Optional<Stored> lookup(String did) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    Optional<Stored> lookup(String did);

    @Override
    void close();
}
