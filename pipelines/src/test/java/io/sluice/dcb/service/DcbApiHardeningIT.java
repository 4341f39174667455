package io.sluice.dcb.service;

import io.sluice.common.http.HttpAuth;
import io.sluice.dcb.service.testing.OrdinaryLatency;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.testing.RawHttp;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB API's HTTP hygiene on a store that requires a bearer token: 401 without or with a wrong
 * token, 415 for a POST that is not JSON, 403 for a foreign Origin, JSON errors for unknown paths,
 * wrong methods, request URIs that are not valid and headers too large, /metrics exempt from the token by default; and a flood of such refused requests does
 * not stall a client that has the token (its p99, see {@link OrdinaryLatency}).
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DcbApiHardeningIT {

    private static final String TOKEN = "it-token-7f3a";
    private static final String APPEND = "{\"events\":[{\"type\":\"Hardened\",\"tags\":[\"h:1\"],\"data\":\"{}\"}]}";

    private static DcbService service;
    private static ComponentMetrics metrics;
    private static HttpClient http;
    private static URI base;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        metrics = new ComponentMetrics("dcb-api");
        DcbServiceConfig config = TestServices.config(stack, stateDir).withAuth(new HttpAuth(Optional.of(TOKEN), false));
        service = DcbService.start(config, line -> { }, metrics);
        base = service.baseUri();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (service != null) service.close();
        if (metrics != null) metrics.close();
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        HttpResponse<String> none = send(request("/read").GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertJsonError(none, 401);
        assertThat(send(request("/read").header("Authorization", "Bearer wrong").GET()).statusCode()).isEqualTo(401);
        assertThat(send(request("/append").header("Authorization", "Bearer wrong").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(APPEND))).statusCode()).as("401 before 415").isEqualTo(401);
        assertThat(send(authorized("/read").GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> appended = send(post("application/json; charset=utf-8"));
        assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
        assertThat(appended.body()).contains("\"appendConditionFailed\":false");
        assertThat(send(request("/metrics").GET()).statusCode()).as("/metrics exempt by default").isEqualTo(200);
    }

    @Test
    void appendsMustBeJson() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> response = send(post(type));
            assertThat(response.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            assertJsonError(response, 415);
            assertThat(response.body()).contains("application/json");
        }
    }

    @Test
    void aForeignOriginCannotAppend() throws Exception {
        HttpResponse<String> response = send(post("application/json").header("Origin", "https://evil.example"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertJsonError(response, 403);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        // what a web page can send cross-origin without a preflight: a text/plain body, with its Origin
        HttpResponse<String> simple = send(authorized("/append").header("Content-Type", "text/plain")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"events\":[{\"type\":\"Evil\",\"tags\":[],\"data\":\"{}\"}]}")));
        assertThat(simple.statusCode()).as("a simple cross-origin request").isIn(403, 415);
        assertJsonError(simple, simple.statusCode());
        assertThat(send(authorized("/read?query=" + java.net.URLEncoder.encode(
                "{\"items\":[{\"types\":[\"Evil\"]}]}", StandardCharsets.UTF_8)).GET()).body())
                .as("nothing the foreign page sent was appended").isEqualTo("[]");
        HttpResponse<String> own = send(post("application/json").header("Origin", "http://" + base.getAuthority()));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void errorsAreJson() throws Exception {
        assertJsonError(send(authorized("/nothing-here").GET()), 404);
        assertJsonError(send(authorized("/append").GET()), 405);
        assertJsonError(send(authorized("/read?query=%7Bnot-json").GET()), 400);
        assertJsonError(send(authorized("/read?queyr=x").GET()), 400);
        // what java.net.http refuses to send, and curl or a hand-written client sends as typed
        String auth = "Host: " + base.getAuthority() + "\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n";
        for (String target : List.of("/read?query=%zz", "/read?query={\"items\":[]}", "/read/%zz")) {
            String answer = RawHttp.exchange(base, "GET " + target + " HTTP/1.1\r\n" + auth + "\r\n");
            assertThat(answer).as(target).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                    .contains("{\"error\":\"bad_request\"").doesNotContain("<html", TOKEN);
        }
        String hugeHeader = RawHttp.exchange(base, "GET /read HTTP/1.1\r\n" + auth + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(hugeHeader).startsWith("HTTP/1.1 431 ").contains("Content-Type: application/json").doesNotContain("<html");
    }

    @Test
    void anAuthorizedClientKeepsItsLatencyWhileRefusedRequestsArriveFlatOut() throws Exception {
        // what a scanner or a hostile page sends: no token, a wrong one, a body that is not JSON, a foreign Origin
        List<Map.Entry<Integer, HttpRequest.Builder>> refused = List.of(
                Map.entry(401, request("/append").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(APPEND))),
                Map.entry(401, request("/read").header("Authorization", "Bearer wrong").GET()),
                Map.entry(415, post("text/plain")),
                Map.entry(403, post("application/json").header("Origin", "https://evil.example")));
        OrdinaryLatency.Figures figures = OrdinaryLatency.measure(200, i -> {
            try {
                HttpResponse<String> appended = send(post("application/json"));
                assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, () -> {
            for (Map.Entry<Integer, HttpRequest.Builder> r : refused) {
                try {
                    assertThat(send(r.getValue().copy()).statusCode()).isEqualTo(r.getKey());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return refused.size();
        });
        System.out.println("DcbApiHardeningIT " + figures.describe("401/415/403 requests"));
        assertThat(figures.attacks()).isGreaterThan(refused.size());
        assertThat(figures.attackedP99()).as("p99 of 200 ordinary appends among refused requests, ms")
                .isLessThan(figures.bound());
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"error\":").contains("\"status\":" + status).doesNotContain(TOKEN);
    }

    private static HttpRequest.Builder post(String contentType) {
        HttpRequest.Builder request = authorized("/append").POST(HttpRequest.BodyPublishers.ofString(APPEND));
        return contentType == null ? request : request.header("Content-Type", contentType);
    }

    private static HttpRequest.Builder authorized(String path) {
        return request(path).header("Authorization", "Bearer " + TOKEN);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
