package io.sluice.backfill.resolve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressGuardTest {

    private static final AddressGuard STRICT = new AddressGuard(List.of());

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback", "127.255.0.7, loopback", "::1, loopback",
            "10.1.2.3, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private",
            "100.64.0.1, private (shared carrier-grade NAT)",
            "fc00::1, private (unique local)", "fd12:3456::1, private (unique local)", "fec0::1, private",
            "169.254.169.254, link-local", "fe80::1, link-local",
            "0.0.0.0, unspecified", "::, unspecified", "0.1.2.3, unspecified (this network)",
            "224.0.0.1, multicast", "ff02::1, multicast", "240.0.0.1, reserved", "255.255.255.255, reserved"})
    void refusesInternalAddresses(String address, String kind) throws Exception {
        assertThat(STRICT.refusal(ip(address))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1", "2002:c0a8:101::", "::7f00:1"})
    void refusesIpv6FormsOfInternalIpv4Addresses(String address) throws Exception {
        assertThat(STRICT.refusal(ip(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700::1111",
            "2a01:4f8::1", "64:ff9b::808:808", "2002:808:808::"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(STRICT.refusal(ip(address))).isEmpty();
    }

    @Test
    void theAllowlistExemptsItsNetworksOnly() throws Exception {
        AddressGuard tests = new AddressGuard(AddressGuard.LOOPBACK);
        assertThat(tests.refusal(ip("127.0.0.1"))).isEmpty();
        assertThat(tests.refusal(ip("::1"))).isEmpty();
        assertThat(tests.refusal(ip("10.0.0.1"))).contains("private");
        assertThat(new AddressGuard(List.of(CidrBlock.parse("10.20.0.0/16"))).refusal(ip("10.20.3.4"))).isEmpty();
        assertThat(new AddressGuard(List.of(CidrBlock.parse("10.20.0.0/16"))).refusal(ip("10.21.3.4"))).isPresent();
    }

    @Test
    void aHostIsRefusedIfAnyOfItsAddressesIs() throws Exception {
        Map<String, InetAddress[]> dns = Map.of(
                "public.example", new InetAddress[] {ip("8.8.8.8"), ip("2606:4700::1111")},
                "rebind.example", new InetAddress[] {ip("8.8.8.8"), ip("169.254.169.254")});
        AddressGuard guard = new AddressGuard(List.of(), host -> {
            InetAddress[] a = dns.get(host);
            if (a == null) throw new UnknownHostException(host);
            return a;
        });

        assertThatCode(() -> guard.check("public.example")).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check("rebind.example")).isInstanceOfSatisfying(ResolutionException.class, e -> {
            assertThat(e.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
            assertThat(e.isTransient()).isFalse();
            assertThat(e).hasMessageContaining("169.254.169.254").hasMessageContaining("link-local");
        });
        assertThatThrownBy(() -> guard.check("gone.example")).isInstanceOfSatisfying(ResolutionException.class,
                e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void literalHostsNeedNoDns() {
        assertThatThrownBy(() -> STRICT.check("127.0.0.1")).isInstanceOf(ResolutionException.class);
        assertThatThrownBy(() -> STRICT.check("::1")).isInstanceOf(ResolutionException.class);
        assertThatCode(() -> new AddressGuard(AddressGuard.LOOPBACK).check("127.0.0.1")).doesNotThrowAnyException();
    }
}
