package io.sluice.backfill.resolve;

/** The outcome of resolving one DID. */
public sealed interface Resolution {

    /** @param attempts HTTP attempts it took, 0 when it came from the cache */
    record Resolved(String did, PdsEndpoint pds, int attempts) implements Resolution {
    }

    /** Final for this DID: it goes to the DLQ with {@code reason}. */
    record Failed(String did, FailureReason reason, String message, int attempts) implements Resolution {
    }
}
