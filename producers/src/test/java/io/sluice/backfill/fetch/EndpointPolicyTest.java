package io.sluice.backfill.fetch;

import io.sluice.backfill.net.AddressVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fetcher's path through the SSRF guard refuses every address class the resolver's refuses. */
class EndpointPolicyTest {

    private static final EndpointPolicy STRICT = new EndpointPolicy(Set.of());

    static List<AddressVectors.Refused> refused() {
        return AddressVectors.REFUSED;
    }

    static List<String> publicAddresses() {
        return AddressVectors.PUBLIC;
    }

    /** The endpoint a DID document would carry for {@code address}, literal so that no DNS is needed. */
    private static String endpoint(String address) {
        return "https://" + (address.contains(":") ? "[" + address + "]" : address) + ":443/";
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesEveryInternalAddressClass(AddressVectors.Refused v) {
        assertThatThrownBy(() -> STRICT.getRepoUri(endpoint(v.address()), "did:plc:abc"))
                .isInstanceOf(EndpointPolicy.RejectedEndpointException.class)
                .hasMessageContaining(v.kind());
    }

    @ParameterizedTest
    @MethodSource("publicAddresses")
    void fetchesFromPublicAddresses(String address) throws Exception {
        assertThat(STRICT.getRepoUri(endpoint(address), "did:plc:abc").getPath())
                .isEqualTo("/xrpc/com.atproto.sync.getRepo");
    }

    @Test
    void anAllowedHostPassesWhateverItResolvesTo() throws Exception {
        EndpointPolicy local = new EndpointPolicy(Set.of("127.0.0.1", "::1"));
        assertThat(local.getRepoUri("http://127.0.0.1:8080/pds/x", "did:plc:abc"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/pds/x/xrpc/com.atproto.sync.getRepo?did=did%3Aplc%3Aabc"));
        assertThat(local.getRepoUri("http://[::1]:8080", "did:plc:abc").getHost()).isEqualTo("[::1]");
        assertThatThrownBy(() -> local.getRepoUri("http://10.0.0.1", "did:plc:abc"))
                .isInstanceOf(EndpointPolicy.RejectedEndpointException.class);
    }

    @Test
    void everyAddressAHostResolvesToIsChecked() throws Exception {
        EndpointPolicy policy = new EndpointPolicy(Set.of(), new io.sluice.backfill.net.AddressGuard(List.of(),
                host -> new InetAddress[] {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("64:ff9b::a9fe:a9fe")}));
        assertThatThrownBy(() -> policy.getRepoUri("https://pds.example", "did:plc:abc"))
                .isInstanceOf(EndpointPolicy.RejectedEndpointException.class)
                .hasMessageContaining("pds.example").hasMessageContaining("169.254.169.254");
    }
}
