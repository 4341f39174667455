package io.sluice.backfill.resolve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A DID document is whatever a PLC directory or a did:web host answers. Invariants: any body yields a
 * PDS endpoint or a {@link ResolutionException}, nothing else; and the endpoint is in normal form,
 * so parsing it again gives it back (it is the key of the rate limiter's per-host state: two spellings
 * of one host must not become two hosts).
 */
class DidDocumentFuzzTest {

    private static final URI URL = URI.create("https://plc.directory/did:plc:fuzz");

    @FuzzTest(maxDuration = "10s")
    void pdsEndpoint(byte[] body) {
        PdsEndpoint endpoint;
        try {
            JsonNode document = DocumentClient.document(URL, body);
            JsonNode id = document == null ? null : document.get("id");
            String did = id != null && id.isTextual() ? id.textValue() : "did:plc:fuzz";
            endpoint = DidDocuments.pdsEndpoint(document, did);
        } catch (ResolutionException expected) {
            return;
        }
        assertEquals(endpoint, PdsEndpoint.parse(endpoint.url()), "the normal form must be a fixed point");
    }
}
