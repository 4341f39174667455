package io.sluice.backfill.resolve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DidMethodsTest {

    private static final URI PLC = URI.create("https://plc.directory");

    @Test
    void plcDidsAreLookedUpInTheDirectoryWhichIsTrusted() throws Exception {
        DidMethods.Location l = DidMethods.locate("did:plc:ewvi7nxzyoun6zhxrhs64oiz", PLC);
        assertThat(l.url()).isEqualTo(URI.create("https://plc.directory/did:plc:ewvi7nxzyoun6zhxrhs64oiz"));
        assertThat(l.guardedHost()).isNull();
        assertThat(DidMethods.locate("did:plc:ewvi7nxzyoun6zhxrhs64oiz", URI.create("http://127.0.0.1:9/plc/")).url())
                .isEqualTo(URI.create("http://127.0.0.1:9/plc/did:plc:ewvi7nxzyoun6zhxrhs64oiz"));
    }

    @Test
    void webDidsAreFetchedFromTheirHostWhichIsGuarded() throws Exception {
        DidMethods.Location l = DidMethods.locate("did:web:Example.COM", PLC);
        assertThat(l.url()).isEqualTo(URI.create("https://example.com/.well-known/did.json"));
        assertThat(l.guardedHost()).isEqualTo("example.com");
    }

    @Test
    void localhostWithAPortIsPlainHttpForDevelopment() throws Exception {
        DidMethods.Location l = DidMethods.locate("did:web:localhost%3A2583", PLC);
        assertThat(l.url()).isEqualTo(URI.create("http://localhost:2583/.well-known/did.json"));
        assertThat(l.guardedHost()).isEqualTo("localhost");
    }

    @ParameterizedTest
    @CsvSource({
            "not-a-did, invalid-did",
            "did:plc:tooshort, invalid-did",
            "did:plc:ewvi7nxzyoun6zhxrhs64oi1, invalid-did",
            "did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ, invalid-did",
            "did:web:example.com:user:alice, invalid-did",
            "did:web:example.com%3A8443, invalid-did",
            "did:web:example.com%2Fpath, invalid-did",
            "did:web:nodot, invalid-did",
            "did:web:-bad-.example, invalid-did",
            "did:key:zQ3shunBKsXixLxKtC5qeSG9E4J5RkGN57im31pcTzbNQnm5w, unsupported-method",
            "did:method:val, unsupported-method"})
    void refusesWhatAtprotoCannotResolve(String did, String reason) {
        assertThatThrownBy(() -> DidMethods.locate(did, PLC)).isInstanceOfSatisfying(ResolutionException.class, e -> {
            assertThat(e.reason().code()).isEqualTo(reason);
            assertThat(e.isTransient()).isFalse();
        });
    }
}
