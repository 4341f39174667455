package io.sluice.backfill.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network, {@code 127.0.0.0/8} or {@code ::1/128}; a bare address means the
 * one-address network. An entry of the resolver's address allowlist.
 */
public record CidrBlock(byte[] network, int prefix) {

    // Literals only: a host name here would make parsing do a DNS lookup.
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public CidrBlock {
        network = network.clone();
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("address must be 4 or 16 bytes");
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix must be 0.." + network.length * 8 + ", got " + prefix);
        }
    }

    /** @throws IllegalArgumentException for anything but {@code ADDRESS[/PREFIX]} with a literal address */
    public static CidrBlock parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
            throw new IllegalArgumentException("'" + text + "' is not ADDRESS[/PREFIX] with an IP address literal,"
                    + " e.g. 127.0.0.0/8 or ::1/128");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IP address", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length", e);
        }
        return new CidrBlock(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest);
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes is always an address", e);
        }
    }
}
