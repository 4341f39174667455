package io.sluice.backfill.resolve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PdsEndpointTest {

    @ParameterizedTest
    @CsvSource({
            "https://morel.us-east.host.bsky.network,          https://morel.us-east.host.bsky.network",
            "HTTPS://Morel.US-East.host.bsky.network:443/,     https://morel.us-east.host.bsky.network",
            "https://pds.example.com.,                         https://pds.example.com",
            "https://pds.example.com:8443,                     https://pds.example.com:8443",
            "http://pds.example.com:80,                        http://pds.example.com",
            "http://pds.example.com:443,                       http://pds.example.com:443",
            "http://127.0.0.1:8080/pds/pds-07.sim.test/,       http://127.0.0.1:8080/pds/pds-07.sim.test",
            "http://127.0.0.1:8080/pds/./a/../b//,             http://127.0.0.1:8080/pds/b",
            "'  https://pds.example.com  ',                    https://pds.example.com",
            "http://[::1]:2583,                                http://[::1]:2583",
            "https://[2001:DB8::1],                            https://[2001:db8::1]"})
    void normalFormIsTheRateLimitKey(String endpoint, String key) {
        assertThat(PdsEndpoint.parse(endpoint).url()).isEqualTo(key);
    }

    @Test
    void hostHasNoBracketsSoTheGuardCanLookItUp() {
        assertThat(PdsEndpoint.parse("http://[::1]:2583").host()).isEqualTo("::1");
        assertThat(PdsEndpoint.parse("https://PDS.example.com/x").host()).isEqualTo("pds.example.com");
    }

    @Test
    void virtualHostsOfTheSimulatorAreDistinctPdses() {
        assertThat(PdsEndpoint.parse("http://127.0.0.1:9000/pds/a"))
                .isNotEqualTo(PdsEndpoint.parse("http://127.0.0.1:9000/pds/b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pds.example.com", "ftp://pds.example.com", "https://user:pw@pds.example.com",
            "https://pds.example.com/?x=1", "https://pds.example.com/#frag", "https://", "https://bad_host.example",
            "https://bücher.example", "not a url at all", "https://pds.example.com/../etc"})
    void refusesWhatIsNotAPlainHttpUrl(String endpoint) {
        assertThatThrownBy(() -> PdsEndpoint.parse(endpoint)).isInstanceOf(IllegalArgumentException.class);
    }
}
