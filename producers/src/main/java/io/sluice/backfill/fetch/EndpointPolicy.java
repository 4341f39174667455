package io.sluice.backfill.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Which PDS endpoints the fetcher may call, and the {@code getRepo} URL for one. A PDS endpoint
 * comes from a DID document, which anyone can write: without a check, a DID could point the fetcher
 * at an internal service (loopback, private networks, cloud metadata at 169.254.169.254). So http
 * and https only, no user info, and a host that resolves to a loopback, private, link-local,
 * unique-local, wildcard or multicast address is refused unless it is on the allowlist (the
 * simulator and local tests use {@code 127.0.0.1}).
 *
 * <p>Limit: the address is checked when the task starts and the HTTP client resolves the name again,
 * so a DNS server that changes its answer in between (DNS rebinding) is not stopped here; real
 * deployments should also restrict egress at the network level. Redirects are never followed.
 */
final class EndpointPolicy {

    static final String GET_REPO = "/xrpc/com.atproto.sync.getRepo";

    /** The endpoint was refused; fetching will never work. */
    static final class RejectedEndpointException extends Exception {
        RejectedEndpointException(String message) {
            super(message);
        }
    }

    private final Set<String> allowedPrivateHosts;

    EndpointPolicy(Set<String> allowedPrivateHosts) {
        this.allowedPrivateHosts = Set.copyOf(allowedPrivateHosts);
    }

    /**
     * The getRepo URL of {@code did} at {@code endpoint}, after the checks.
     *
     * @throws UnknownHostException      the name does not resolve now (retryable)
     * @throws RejectedEndpointException the endpoint is not allowed (permanent)
     */
    URI getRepoUri(String endpoint, String did) throws UnknownHostException, RejectedEndpointException {
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
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedPrivateHosts.contains(host)) {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (isPrivate(address)) {
                    throw new RejectedEndpointException("PDS endpoint '" + endpoint + "' resolves to the non-public address "
                            + address.getHostAddress() + "; allow the host explicitly to fetch from it");
                }
            }
        }
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return URI.create(base + GET_REPO + "?did=" + URLEncoder.encode(did, StandardCharsets.UTF_8));
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128); // "this network", carrier-grade NAT
    }
}
