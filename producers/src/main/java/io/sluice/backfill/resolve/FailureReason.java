package io.sluice.backfill.resolve;

import io.sluice.common.dlq.DeadLetterReason;

import java.util.Arrays;

/**
 * Why a DID went to {@code backfill.dlq}: the {@code sluice.dlq.reason} header's value ({@link #code()}, e.g.
 * {@code invalid-did}).
 * All are permanent for the DID as published: resolving it again would give the same answer, except
 * {@link #RETRIES_EXHAUSTED}, which a replay of the DLQ may fix once the directory or PDS is back.
 */
public enum FailureReason implements DeadLetterReason {
    /** The record is not a DidWorkItem in the registry's wire format ({@code deserialization}, as in every stage). */
    DESERIALIZATION,
    /** Not a DID by the atproto syntax, or not a well-formed did:plc / did:web. */
    INVALID_DID,
    /** A DID method atproto does not use (only plc and web). */
    UNSUPPORTED_METHOD,
    /** The directory or the did:web host does not know the DID (404, 410). */
    NOT_FOUND,
    /** Any other non-retryable HTTP answer (400, 403, a redirect, ...). */
    HTTP_ERROR,
    /** The answer is not a DID document for this DID (bad JSON, wrong id, too large). */
    INVALID_DOCUMENT,
    /** The document has no #atproto_pds service of type AtprotoPersonalDataServer. */
    NO_PDS_SERVICE,
    /** The service endpoint is not an absolute http(s) URL without user info, query or fragment. */
    INVALID_ENDPOINT,
    /** A host (the PDS, or a did:web host) resolves to a loopback, private, link-local or other internal address. */
    FORBIDDEN_ADDRESS,
    /** Transient failures (5xx, 429, timeouts, DNS) lasted through every attempt. */
    RETRIES_EXHAUSTED;

    /** Strict inverse of {@link #code()}. */
    public static FailureReason fromCode(String code) {
        for (FailureReason r : values()) if (r.code().equals(code)) return r;
        throw new IllegalArgumentException("unknown failure reason '" + code + "'; allowed: "
                + Arrays.stream(values()).map(FailureReason::code).toList());
    }
}
