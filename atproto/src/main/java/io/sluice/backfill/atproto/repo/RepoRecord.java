package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.cid.Cid;

/**
 * One record of a repository, as found by the MST walk.
 *
 * @param json the record in atproto JSON form ({@code $link}, {@code $bytes}), keys in stored order
 */
public record RepoRecord(String did, String collection, String rkey, Cid cid, String json) {

    /** {@code at://<did>/<collection>/<rkey>}. */
    public String uri() {
        return "at://" + did + "/" + collection + "/" + rkey;
    }
}
