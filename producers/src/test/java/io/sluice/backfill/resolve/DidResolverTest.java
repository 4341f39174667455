package io.sluice.backfill.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.net.AddressGuard;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DidResolverTest {

    private static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers are taken in order: a JsonNode is returned, a ResolutionException thrown. */
    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<URI> requested = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();

    private DidResolver resolver(int maxAttempts) {
        DocumentSource source = url -> {
            requested.add(url);
            Object next = answers.removeFirst();
            if (next instanceof ResolutionException e) throw e;
            return (JsonNode) next;
        };
        // "internal.example" is the only host that resolves to a private address.
        AddressGuard guard = new AddressGuard(List.of(), host -> new InetAddress[] {
                InetAddress.getByName(host.equals("internal.example") ? "10.0.0.7" : "93.184.216.34")});
        return new DidResolver(URI.create("https://plc.example"), source, guard,
                new ResolutionCache(100, Duration.ofMinutes(5), System::nanoTime), maxAttempts,
                Duration.ofMillis(100), Duration.ofSeconds(2), slept::add);
    }

    private static JsonNode doc(String endpoint) throws Exception {
        return JSON.readTree("""
                {"id": "%s", "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                 "serviceEndpoint": "%s"}]}""".formatted(DID, endpoint));
    }

    @Test
    void resolvesThroughTheDirectoryAndThenFromTheCache() throws Exception {
        answers.add(doc("https://pds.example/"));
        DidResolver r = resolver(3);

        assertThat(r.resolve(DID)).isEqualTo(new Resolution.Resolved(DID, PdsEndpoint.parse("https://pds.example"), 1));
        assertThat(r.resolve(DID)).isEqualTo(new Resolution.Resolved(DID, PdsEndpoint.parse("https://pds.example"), 0));
        assertThat(requested).containsExactly(URI.create("https://plc.example/" + DID));
        assertThat(r.cacheHits.sum()).isEqualTo(1);
    }

    @Test
    void retriesTransientFailuresWithGrowingBackoff() throws Exception {
        answers.add(ResolutionException.retryable("HTTP 503", null));
        answers.add(ResolutionException.retryable("timeout", null));
        answers.add(doc("https://pds.example"));
        DidResolver r = resolver(5);

        assertThat(r.resolve(DID)).isInstanceOfSatisfying(Resolution.Resolved.class, ok -> assertThat(ok.attempts()).isEqualTo(3));
        assertThat(slept).hasSize(2);
        assertThat(slept.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(100));
        assertThat(slept.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(r.retries.sum()).isEqualTo(2);
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        for (int i = 0; i < 3; i++) answers.add(ResolutionException.retryable("HTTP 502 #" + i, null));

        Resolution result = resolver(3).resolve(DID);

        assertThat(result).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.message()).contains("after 3 attempts").contains("HTTP 502 #2");
        });
        assertThat(slept).hasSize(2);
    }

    @Test
    void permanentFailuresAreNotRetriedNorCached() throws Exception {
        answers.add(ResolutionException.permanent(FailureReason.NOT_FOUND, "HTTP 404"));
        answers.add(doc("https://pds.example"));
        DidResolver r = resolver(5);

        assertThat(r.resolve(DID)).isInstanceOfSatisfying(Resolution.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.NOT_FOUND));
        assertThat(slept).isEmpty();
        assertThat(r.resolve(DID)).isInstanceOf(Resolution.Resolved.class);
    }

    @Test
    void aPdsOnAnInternalAddressIsRefused() throws Exception {
        answers.add(doc("https://internal.example"));

        assertThat(resolver(3).resolve(DID)).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
            assertThat(f.message()).contains("10.0.0.7", "private");
        });
    }

    @Test
    void badDidsFailWithoutARequest() throws Exception {
        assertThat(resolver(3).resolve("did:plc:nope")).isInstanceOfSatisfying(Resolution.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID_DID));
        assertThat(resolver(3).resolve("did:key:z6Mk")).isInstanceOfSatisfying(Resolution.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.UNSUPPORTED_METHOD));
        assertThat(requested).isEmpty();
    }

    @Test
    void backoffStaysWithinItsBounds() {
        DidResolver r = resolver(3);
        for (int attempt = 1; attempt < 40; attempt++) {
            assertThat(r.backoff(attempt)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
        }
    }
}
