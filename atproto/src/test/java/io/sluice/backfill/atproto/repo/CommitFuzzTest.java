package io.sluice.backfill.atproto.repo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.syntax.DidSyntax;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit block is where the fetcher learns whose repository it holds. Invariant: a commit decodes
 * or throws an {@link AtprotoFormatException}; a decoded one has a syntactically valid DID and a
 * data root, since both are trusted afterwards.
 */
class CommitFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] block) {
        Commit commit;
        try {
            commit = Commit.decode(Cid.of(Cid.DAG_CBOR, block), block);
        } catch (AtprotoFormatException expected) {
            return;
        }
        assertTrue(DidSyntax.isValid(commit.did()), "commit accepted with DID " + commit.did());
        assertNotNull(commit.data());
    }
}
