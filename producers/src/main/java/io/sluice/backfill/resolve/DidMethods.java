package io.sluice.backfill.resolve;

import io.sluice.backfill.atproto.syntax.DidSyntax;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the DID document of a DID is, for the two methods atproto uses (atproto.com/specs/did).
 * {@code did:plc:<24 base32 characters>}: {@code <plc directory>/<did>}. {@code did:web:<host>}:
 * {@code https://<host>/.well-known/did.json}; atproto allows neither paths (more colons) nor ports,
 * except {@code did:web:localhost%3A<port>}, fetched over plain http, as the reference implementation
 * does for local development. The strict identifier rules also keep a DID from steering the request
 * anywhere but the intended path.
 */
final class DidMethods {

    /** The URL to GET, and the host to pass through the address guard first (null: the trusted PLC directory). */
    record Location(URI url, String guardedHost) {
    }

    private static final Pattern PLC_ID = Pattern.compile("[a-z2-7]{24}");
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private DidMethods() {
    }

    static Location locate(String did, URI plcDirectory) throws ResolutionException {
        Optional<String> invalid = DidSyntax.validate(did);
        if (invalid.isPresent()) throw ResolutionException.permanent(FailureReason.INVALID_DID, invalid.get());
        if (did.startsWith("did:plc:")) {
            String id = did.substring("did:plc:".length());
            if (!PLC_ID.matcher(id).matches()) {
                throw ResolutionException.permanent(FailureReason.INVALID_DID,
                        "a did:plc identifier is 24 characters of a-z and 2-7, got '" + id + "'");
            }
            String base = plcDirectory.toString();
            return new Location(URI.create(base.endsWith("/") ? base + did : base + "/" + did), null);
        }
        if (did.startsWith("did:web:")) return web(did.substring("did:web:".length()));
        String method = did.substring(4, did.indexOf(':', 4));
        throw ResolutionException.permanent(FailureReason.UNSUPPORTED_METHOD,
                "DID method '" + method + "' is not one atproto uses; allowed: plc, web");
    }

    private static Location web(String id) throws ResolutionException {
        if (id.contains(":")) {
            throw ResolutionException.permanent(FailureReason.INVALID_DID, "did:web with a path is not supported by atproto");
        }
        String decoded = id.replace("%3A", ":").replace("%3a", ":");
        if (decoded.contains("%")) {
            throw ResolutionException.permanent(FailureReason.INVALID_DID, "did:web may only percent-encode the port colon");
        }
        String host = decoded.toLowerCase(Locale.ROOT);
        String port = "";
        int colon = host.indexOf(':');
        if (colon >= 0) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
            if (!host.equals("localhost") || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
                throw ResolutionException.permanent(FailureReason.INVALID_DID,
                        "did:web may carry a port only for localhost (development), got '" + decoded + "'");
            }
        }
        if (!HOST.matcher(host).matches() || !host.contains(".") && !host.equals("localhost")) {
            throw ResolutionException.permanent(FailureReason.INVALID_DID, "did:web host '" + host + "' is not a domain name");
        }
        String scheme = host.equals("localhost") ? "http" : "https";
        return new Location(URI.create(scheme + "://" + host + (port.isEmpty() ? "" : ":" + port) + "/.well-known/did.json"), host);
    }
}
