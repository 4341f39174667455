package io.sluice.backfill.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressGuardTest {

    private static final AddressGuard STRICT = new AddressGuard(List.of());

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    static List<AddressVectors.Refused> refused() {
        return AddressVectors.REFUSED;
    }

    static List<String> publicAddresses() {
        return AddressVectors.PUBLIC;
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesInternalAddresses(AddressVectors.Refused v) throws Exception {
        assertThat(STRICT.refusal(ip(v.address()))).contains(v.kind());
        assertThat(STRICT.refusal(v.address())).hasValueSatisfying(
                m -> assertThat(m).contains(v.kind()).contains("host " + v.address()));
    }

    @ParameterizedTest
    @MethodSource("publicAddresses")
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(STRICT.refusal(ip(address))).isEmpty();
        assertThat(STRICT.refusal(address)).isEmpty();
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

        assertThat(guard.refusal("public.example")).isEmpty();
        assertThat(guard.refusal("rebind.example")).hasValueSatisfying(
                m -> assertThat(m).contains("169.254.169.254").contains("link-local"));
        assertThatThrownBy(() -> guard.refusal("gone.example")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void literalHostsNeedNoDns() throws Exception {
        assertThat(STRICT.refusal("127.0.0.1")).isPresent();
        assertThat(STRICT.refusal("::1")).isPresent();
        assertThat(new AddressGuard(AddressGuard.LOOPBACK).refusal("127.0.0.1")).isEmpty();
    }
}
