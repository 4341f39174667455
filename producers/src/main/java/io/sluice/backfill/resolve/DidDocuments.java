package io.sluice.backfill.resolve;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the PDS endpoint out of a DID document, as the atproto spec (atproto.com/specs/did) says: the
 * first entry of {@code service} whose {@code id} ends in {@code #atproto_pds} (either the relative
 * {@code #atproto_pds} or the absolute {@code <did>#atproto_pds}) and whose {@code type} is
 * {@code AtprotoPersonalDataServer}; its {@code serviceEndpoint} must be a URL string. The document's
 * {@code id} must be the DID that was asked for, or a directory (or a did:web host) could answer for
 * another identity.
 */
public final class DidDocuments {

    public static final String PDS_SERVICE_ID = "#atproto_pds";
    public static final String PDS_SERVICE_TYPE = "AtprotoPersonalDataServer";

    private DidDocuments() {
    }

    /** @throws ResolutionException (permanent) when the document is not for {@code did} or has no usable PDS */
    public static PdsEndpoint pdsEndpoint(JsonNode document, String did) throws ResolutionException {
        if (document == null || !document.isObject()) {
            throw ResolutionException.permanent(FailureReason.INVALID_DOCUMENT, "DID document is not a JSON object");
        }
        JsonNode id = document.get("id");
        if (id == null || !id.isTextual() || !id.textValue().equals(did)) {
            throw ResolutionException.permanent(FailureReason.INVALID_DOCUMENT,
                    "DID document id " + (id == null ? "is missing" : id + " is not " + did));
        }
        JsonNode services = document.get("service");
        if (services != null && services.isArray()) {
            for (JsonNode service : services) {
                if (!isPdsService(service, did)) continue;
                JsonNode endpoint = service.get("serviceEndpoint");
                if (endpoint == null || !endpoint.isTextual()) {
                    throw ResolutionException.permanent(FailureReason.INVALID_ENDPOINT,
                            PDS_SERVICE_ID + " serviceEndpoint is not a URL string: " + endpoint);
                }
                try {
                    return PdsEndpoint.parse(endpoint.textValue());
                } catch (IllegalArgumentException e) {
                    throw ResolutionException.permanent(FailureReason.INVALID_ENDPOINT,
                            PDS_SERVICE_ID + " serviceEndpoint " + endpoint + ": " + e.getMessage(), e);
                }
            }
        }
        throw ResolutionException.permanent(FailureReason.NO_PDS_SERVICE, "DID document of " + did + " has no "
                + PDS_SERVICE_ID + " service of type " + PDS_SERVICE_TYPE);
    }

    private static boolean isPdsService(JsonNode service, String did) {
        if (!service.isObject()) return false;
        String id = service.path("id").asText("");
        boolean idMatches = id.equals(PDS_SERVICE_ID) || id.equals(did + PDS_SERVICE_ID);
        return idMatches && PDS_SERVICE_TYPE.equals(service.path("type").asText(""));
    }
}
