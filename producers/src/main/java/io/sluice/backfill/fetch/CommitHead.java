package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.repo.RepoFormatException;
import io.sluice.backfill.atproto.syntax.DidSyntax;

import java.util.Map;

/**
 * The fields of a repository commit (the CAR root) that the fetcher needs: whose repository it is,
 * its revision and the MST root. Checked as strictly as {@code atproto.repo.Commit}, whose decoder
 * is internal to its package; the signature is not verified (that needs the DID document's key).
 */
record CommitHead(String did, String rev, Cid data) {

    static CommitHead decode(Cid cid, byte[] bytes) {
        Map<String, Object> map;
        try {
            map = DagCborDecoder.decodeMap(bytes);
        } catch (AtprotoFormatException e) {
            throw new RepoFormatException("commit " + cid + " is not a DAG-CBOR map: " + e.getMessage(), e);
        }
        if (!(map.get("did") instanceof String did) || DidSyntax.validate(did).isPresent()) {
            throw new RepoFormatException("commit " + cid + " has no valid 'did'");
        }
        if (!(map.get("version") instanceof Long version) || (version != 2 && version != 3)) {
            throw new RepoFormatException("commit " + cid + " has unsupported version " + map.get("version")
                    + " (supported: 2, 3)");
        }
        if (!(map.get("data") instanceof Cid data)) {
            throw new RepoFormatException("commit " + cid + " has no MST root link 'data'");
        }
        Object rev = map.get("rev");
        if (version == 3 ? !(rev instanceof String) : rev != null && !(rev instanceof String)) {
            throw new RepoFormatException("commit " + cid + " (version " + version + ") has no string 'rev'");
        }
        // RepoRecord.rev is required; a version 2 commit has none, so its CID stands in for it.
        return new CommitHead(did, rev == null ? cid.toString() : (String) rev, data);
    }
}
