package io.sluice.backfill.resolve;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A PDS service endpoint in normal form; its {@link #url()} is also the PDS's identity: the key of
 * {@code backfill.resolved} and of the rate limiter's per-host state ({@code ResolvedDid.pds_host}).
 *
 * <p>The normal form is {@code scheme://host[:port][/path]}: scheme and host in lower case (an IPv6
 * literal in brackets), the port only when it is not the scheme's default (443, 80), the path with dot
 * segments resolved and trailing slashes removed, no user info, query or fragment (those are refused).
 * So {@code HTTPS://PDS.Example.com:443/} and {@code https://pds.example.com} are one PDS, while
 * {@code http://127.0.0.1:8080/pds/a} and {@code .../pds/b} are two: the PDS simulator serves many
 * virtual hosts on one address, told apart by the path. For real PDSes, whose endpoints have no path,
 * the key is scheme, host and port.
 *
 * @param url  the normal form, what the fetcher appends {@code /xrpc/...} to
 * @param host the host alone (no brackets for IPv6), what the address guard checks
 */
public record PdsEndpoint(String url, String host) {

    /** @throws IllegalArgumentException why {@code endpoint} is not an acceptable PDS endpoint */
    public static PdsEndpoint parse(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("scheme must be https or http, got '" + endpoint + "'");
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException("user info is not allowed: " + endpoint);
        if (uri.getRawQuery() != null) throw new IllegalArgumentException("a query is not allowed: " + endpoint);
        if (uri.getRawFragment() != null) throw new IllegalArgumentException("a fragment is not allowed: " + endpoint);
        // getHost() is null for a registry-based authority, e.g. a host with '_' or non-ASCII letters.
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no valid host name (ASCII, IDNs as punycode) in " + endpoint);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        int port = uri.getPort();
        if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) port = -1;
        String path = uri.normalize().getRawPath();
        if (path.startsWith("/..")) throw new IllegalArgumentException("path escapes the root: " + endpoint);
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String url = scheme + "://" + host + (port < 0 ? "" : ":" + port) + path;
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new PdsEndpoint(url, bare);
    }

    @Override
    public String toString() {
        return url;
    }
}
