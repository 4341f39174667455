package io.sluice.backfill.resolve;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/** Fetches a DID document: {@link DocumentClient} over HTTP; a stub in tests. */
@FunctionalInterface
interface DocumentSource {

    /** @throws ResolutionException transient or permanent, as {@link DocumentClient} classifies them */
    JsonNode get(URI url) throws ResolutionException, InterruptedException;
}
