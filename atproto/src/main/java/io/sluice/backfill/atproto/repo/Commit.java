package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.syntax.DidSyntax;
import java.util.Map;

/**
 * A repository commit, the root block of a {@code getRepo} CAR:
 * {@code {did, version: 3, data: <MST root cid>, rev, prev: cid|null, sig: bytes}}. Version 2
 * commits (before {@code rev} existed) are accepted with a null {@code rev}. The signature is
 * carried, not verified: that needs the DID document's key, which is the resolver's business.
 */
public record Commit(Cid cid, String did, int version, Cid data, String rev, Cid prev, byte[] sig) {

    /**
     * The one commit parser: the repository parser and the fetcher both read the CAR root with it.
     *
     * @throws RepoFormatException naming the commit and what is wrong with it
     */
    public static Commit decode(Cid cid, byte[] bytes) {
        Map<String, Object> map;
        try {
            map = DagCborDecoder.decodeMap(bytes);
        } catch (AtprotoFormatException e) {
            throw new RepoFormatException("commit " + cid + " is not a DAG-CBOR map: " + e.getMessage(), e);
        }
        if (!(map.get("did") instanceof String did)) {
            throw new RepoFormatException("commit " + cid + " has no string 'did'");
        }
        DidSyntax.validate(did).ifPresent(reason -> {
            throw new RepoFormatException("commit " + cid + " has an invalid did '" + did + "': " + reason);
        });
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
        Object prev = map.get("prev");
        if (prev != null && !(prev instanceof Cid)) {
            throw new RepoFormatException("commit " + cid + " field 'prev' is neither a CID link nor null");
        }
        Object sig = map.get("sig");
        if (!(sig instanceof byte[])) {
            throw new RepoFormatException("commit " + cid + " has no signature bytes 'sig'");
        }
        return new Commit(cid, did, version.intValue(), data, (String) rev, (Cid) prev, (byte[]) sig);
    }
}
