package io.sluice.backfill.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for simulator tests: what any PDS client would do. */
final class SimHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SimHttp() {
    }

    static HttpResponse<byte[]> get(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> post(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String getRepoUrl(PdsSimulator sim, String did) {
        return sim.endpointOf(did) + "/xrpc/com.atproto.sync.getRepo?did=" + did;
    }

    /**
     * The simulator's totals once {@code served} responses are counted, or after 5 s: it counts a response
     * once written, which may be just after the client has read it.
     */
    static HostStats totalsOnceServed(PdsSimulator sim, long served) throws InterruptedException {
        HostStats totals = sim.stats().totals();
        for (long end = System.nanoTime() + 5_000_000_000L; totals.served() < served && System.nanoTime() < end; ) {
            Thread.sleep(10);
            totals = sim.stats().totals();
        }
        return totals;
    }
}
