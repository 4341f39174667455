package io.sluice.backfill.fetch;

import io.sluice.backfill.net.AddressGuard;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which PDS endpoints the fetcher may call, and the {@code getRepo} URL for one. A PDS endpoint
 * comes from a DID document, which anyone can write: without a check, a DID could point the fetcher
 * at an internal service (loopback, private networks, cloud metadata at 169.254.169.254). So http
 * and https only, no user info, and a host that resolves to an internal address (the backfill's one
 * {@link AddressGuard}, the same the resolver uses) is refused unless the host is on this stage's
 * allowlist (the simulator and local tests use {@code 127.0.0.1}).
 *
 * <p>Limit: the address is checked when the task starts and the HTTP client resolves the name again,
 * so a DNS server that changes its answer in between (DNS rebinding) is not stopped here; real
 * deployments should also restrict egress at the network level. Redirects are never followed.
 */
final class EndpointPolicy {

    static final String GET_REPO = "/xrpc/com.atproto.sync.getRepo";
    static final String GET_LATEST_COMMIT = "/xrpc/com.atproto.sync.getLatestCommit";

    /** The endpoint was refused; fetching will never work. */
    static final class RejectedEndpointException extends Exception {
        RejectedEndpointException(String message) {
            super(message);
        }
    }

    private final Set<String> allowedPrivateHosts;
    private final AddressGuard guard;

    EndpointPolicy(Set<String> allowedPrivateHosts) {
        this(allowedPrivateHosts, new AddressGuard(List.of()));
    }

    /** @param guard the address check; the fetcher's allowlist is by host name, so it allows no networks */
    EndpointPolicy(Set<String> allowedPrivateHosts, AddressGuard guard) {
        this.allowedPrivateHosts = Set.copyOf(allowedPrivateHosts);
        this.guard = guard;
    }

    /**
     * The getRepo URL of {@code did} at {@code endpoint}, after the checks.
     *
     * @throws UnknownHostException      the name does not resolve now (retryable)
     * @throws RejectedEndpointException the endpoint is not allowed (permanent)
     */
    URI getRepoUri(String endpoint, String did) throws UnknownHostException, RejectedEndpointException {
        return uri(endpoint, GET_REPO, did);
    }

    /** The getLatestCommit URL of {@code did} at {@code endpoint}, after the same checks. */
    URI getLatestCommitUri(String endpoint, String did) throws UnknownHostException, RejectedEndpointException {
        return uri(endpoint, GET_LATEST_COMMIT, did);
    }

    private URI uri(String endpoint, String method, String did) throws UnknownHostException, RejectedEndpointException {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new RejectedEndpointException("PDS endpoint '" + endpoint + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RejectedEndpointException("PDS endpoint '" + endpoint + "' is not an http(s) URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new RejectedEndpointException("PDS endpoint '" + endpoint + "' must be scheme://host[:port][/path]");
        }
        // An IPv6 literal comes bracketed ("[::1]"); the allowlist spells it bare.
        String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[(.*)]$", "$1");
        if (!allowedPrivateHosts.contains(host)) {
            Optional<String> refused = guard.refusal(host);
            if (refused.isPresent()) {
                throw new RejectedEndpointException("PDS endpoint '" + endpoint + "' is refused: " + refused.get()
                        + "; allow the host explicitly to fetch from it");
            }
        }
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return URI.create(base + method + "?did=" + URLEncoder.encode(did, StandardCharsets.UTF_8));
    }
}
