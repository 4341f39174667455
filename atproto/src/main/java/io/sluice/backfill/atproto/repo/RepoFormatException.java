package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.AtprotoFormatException;

/** A CAR that is readable but is not a repository: no root, no commit, a malformed commit or record. */
public class RepoFormatException extends AtprotoFormatException {

    public RepoFormatException(String message) {
        super(message);
    }

    public RepoFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
