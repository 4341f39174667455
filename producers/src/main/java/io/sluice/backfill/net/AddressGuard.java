package io.sluice.backfill.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The one SSRF guard of the backfill: refuses hosts that resolve to addresses inside the operator's
 * network, so that a DID document cannot point the resolver or the fetchers at internal services:
 * loopback, private (RFC 1918, IPv6 unique-local and site-local), shared carrier-grade NAT, link-local
 * (cloud metadata lives at 169.254.169.254), unspecified, multicast and reserved addresses, and IPv6
 * forms that embed such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4). An address in one
 * of the {@code allowed} networks passes whatever its kind: tests and the PDS simulator allow loopback.
 * Each stage keeps its own policy on top (the resolver's allowed networks, the fetcher's allowed hosts)
 * and its own error type; what counts as internal is decided here only.
 *
 * <p>Every address a host resolves to must pass, since a client may connect to any of them. The check
 * happens when asked; a host whose DNS changes later (rebinding) must be checked again by whoever
 * connects, which is why the fetcher checks again before each download.
 */
public final class AddressGuard {

    /** What a host name resolves to; {@code InetAddress::getAllByName} in production. */
    @FunctionalInterface
    public interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** 127.0.0.0/8 and ::1/128, for tests and the simulator. */
    public static final List<CidrBlock> LOOPBACK = List.of(CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("::1/128"));

    private static final CidrBlock SHARED_NAT = CidrBlock.parse("100.64.0.0/10");
    private static final CidrBlock THIS_NETWORK = CidrBlock.parse("0.0.0.0/8");
    private static final CidrBlock RESERVED = CidrBlock.parse("240.0.0.0/4");
    private static final CidrBlock UNIQUE_LOCAL = CidrBlock.parse("fc00::/7");
    private static final CidrBlock NAT64 = CidrBlock.parse("64:ff9b::/96");
    private static final CidrBlock SIX_TO_FOUR = CidrBlock.parse("2002::/16");
    private static final CidrBlock IPV4_COMPATIBLE = CidrBlock.parse("::/96");

    private final List<CidrBlock> allowed;
    private final HostLookup lookup;

    public AddressGuard(List<CidrBlock> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    public AddressGuard(List<CidrBlock> allowed, HostLookup lookup) {
        this.allowed = List.copyOf(allowed);
        this.lookup = lookup;
    }

    /**
     * Why {@code host} is refused (naming the refused address and its kind), or empty when every
     * address it resolves to passes.
     *
     * @throws UnknownHostException the host does not resolve now (DNS may be down: retryable)
     */
    public Optional<String> refusal(String host) throws UnknownHostException {
        for (InetAddress a : lookup.lookup(host)) {
            Optional<String> refused = refusal(a);
            if (refused.isPresent()) {
                return Optional.of("host " + host + " resolves to " + a.getHostAddress() + ", a " + refused.get()
                        + " address (not in the allowlist " + allowed + ")");
            }
        }
        return Optional.empty();
    }

    /** Why {@code address} is refused ("loopback", "private", ...), or empty when it is allowed. */
    public Optional<String> refusal(InetAddress address) {
        for (CidrBlock block : allowed) if (block.contains(address)) return Optional.empty();
        return Optional.ofNullable(internalKind(address));
    }

    /** The kind of internal address {@code a} is, or null for a public one. */
    public static String internalKind(InetAddress a) {
        if (a.isAnyLocalAddress()) return "unspecified";
        if (a.isLoopbackAddress()) return "loopback";
        if (a.isLinkLocalAddress()) return "link-local";
        if (a.isSiteLocalAddress()) return "private";
        if (a.isMulticastAddress()) return "multicast";
        if (a instanceof Inet4Address) {
            if (SHARED_NAT.contains(a)) return "private (shared carrier-grade NAT)";
            if (THIS_NETWORK.contains(a)) return "unspecified (this network)";
            if (RESERVED.contains(a)) return "reserved";
            return null;
        }
        if (a instanceof Inet6Address) {
            if (UNIQUE_LOCAL.contains(a)) return "private (unique local)";
            byte[] b = a.getAddress();
            if (NAT64.contains(a) || IPV4_COMPATIBLE.contains(a)) return embedded(b, 12);
            if (SIX_TO_FOUR.contains(a)) return embedded(b, 2);
        }
        return null;
    }

    private static String embedded(byte[] v6, int offset) {
        try {
            InetAddress v4 = InetAddress.getByAddress(java.util.Arrays.copyOfRange(v6, offset, offset + 4));
            String kind = internalKind(v4);
            return kind == null ? null : kind + " (embedded IPv4 " + v4.getHostAddress() + ")";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
