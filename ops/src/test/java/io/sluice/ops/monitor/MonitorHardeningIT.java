package io.sluice.ops.monitor;

import io.sluice.common.http.HttpAuth;
import io.sluice.testing.RawHttp;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 6 on the monitor (DcbApiHardeningIT shows the DCB API): with a token, the page and
 * /api/state are 401 without it and /metrics stays open; a POST that is not JSON is 415, one from a
 * foreign Origin 403; every error, 404 and 405 included, is JSON and never echoes the token, as is the
 * 400 for a request URI that is not valid (a malformed percent-escape, a raw '{').
 */
@WithSluiceStack
class MonitorHardeningIT {

    private static final String TOKEN = "monitor-token-51c2";

    @Test
    void theMonitorNeedsTheTokenAndAnswersErrorsInJson(TestStack stack) throws Exception {
        MonitorConfig config = MonitorConfig.defaults(0, stack.connection(), Optional.of(stack.postgres()))
                .withAuth(new HttpAuth(Optional.of(TOKEN), false));
        try (MonitorServer monitor = MonitorServer.start(config);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = monitor.url();
            for (String path : new String[] {"/", "/api/state", "/monitor.js"}) {
                HttpResponse<String> none = send(http, request(base, path).GET());
                assertJsonError(none, 401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(send(http, request(base, path).header("Authorization", "Bearer wrong").GET()).statusCode())
                        .as(path).isEqualTo(401);
                assertThat(send(http, authorized(base, path).GET()).statusCode()).as(path).isEqualTo(200);
            }
            assertThat(send(http, request(base, "/metrics").GET()).statusCode()).as("/metrics exempt by default").isEqualTo(200);

            assertJsonError(send(http, authorized(base, "/api/state").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("x"))), 415);
            assertJsonError(send(http, authorized(base, "/api/state").header("Content-Type", "text/plain")
                    .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("x"))), 403);
            assertJsonError(send(http, authorized(base, "/api/state").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))), 405);
            assertJsonError(send(http, authorized(base, "/nothing-here").GET()), 404);
            String headers = "Host: " + base.getAuthority() + "\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n";
            for (String target : new String[] {"/api/state?x=%zz", "/api/state?x={}", "/%zz"}) {
                assertThat(RawHttp.exchange(base, "GET " + target + " HTTP/1.1\r\n" + headers)).as(target)
                        .startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json", "{\"error\":\"bad_request\"")
                        .doesNotContain("<html", TOKEN);
            }
        }
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"error\":").contains("\"status\":" + status).doesNotContain(TOKEN);
    }

    private static HttpRequest.Builder authorized(URI base, String path) {
        return request(base, path).header("Authorization", "Bearer " + TOKEN);
    }

    private static HttpRequest.Builder request(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
