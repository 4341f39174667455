package io.sluice.backfill.net;

import java.util.List;

/**
 * The address classes the SSRF guard must refuse and public addresses it must let through, run by both
 * stages that use it (the resolver's {@link AddressGuardTest} and the fetcher's EndpointPolicyTest), so
 * that an address refused on one path is refused on the other.
 */
public final class AddressVectors {

    /** An internal address and the kind the guard names for it. */
    public record Refused(String address, String kind) {
        @Override
        public String toString() {
            return address + " (" + kind + ")";
        }
    }

    public static final List<Refused> REFUSED = List.of(
            new Refused("127.0.0.1", "loopback"), new Refused("127.255.0.7", "loopback"), new Refused("::1", "loopback"),
            new Refused("10.1.2.3", "private"), new Refused("172.16.0.1", "private"),
            new Refused("172.31.255.255", "private"), new Refused("192.168.1.1", "private"),
            new Refused("100.64.0.1", "private (shared carrier-grade NAT)"),
            new Refused("100.127.255.254", "private (shared carrier-grade NAT)"),
            new Refused("fc00::1", "private (unique local)"), new Refused("fd12:3456::1", "private (unique local)"),
            new Refused("fec0::1", "private"),
            new Refused("169.254.169.254", "link-local"), new Refused("fe80::1", "link-local"),
            new Refused("0.0.0.0", "unspecified"), new Refused("::", "unspecified"),
            new Refused("0.1.2.3", "unspecified (this network)"),
            new Refused("224.0.0.1", "multicast"), new Refused("ff02::1", "multicast"),
            new Refused("240.0.0.1", "reserved"), new Refused("255.255.255.255", "reserved"),
            // IPv6 forms of internal IPv4 addresses: IPv4-mapped, NAT64, 6to4, IPv4-compatible.
            new Refused("::ffff:127.0.0.1", "loopback"), new Refused("::ffff:10.0.0.1", "private"),
            new Refused("64:ff9b::7f00:1", "loopback (embedded IPv4 127.0.0.1)"),
            new Refused("64:ff9b::a9fe:a9fe", "link-local (embedded IPv4 169.254.169.254)"),
            new Refused("2002:7f00:1::1", "loopback (embedded IPv4 127.0.0.1)"),
            new Refused("2002:c0a8:101::", "private (embedded IPv4 192.168.1.1)"),
            new Refused("2002:f000:1::", "reserved (embedded IPv4 240.0.0.1)"),
            new Refused("::7f00:1", "loopback (embedded IPv4 127.0.0.1)"),
            new Refused("::a00:1", "private (embedded IPv4 10.0.0.1)"));

    public static final List<String> PUBLIC = List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1",
            "100.128.0.1", "93.184.215.14", "2606:4700::1111", "2a01:4f8::1", "64:ff9b::808:808", "2002:808:808::");

    private AddressVectors() {
    }
}
