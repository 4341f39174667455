package io.sluice.ops.metrics;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsServerTest {

    @Test
    void servesTheRegistryAtSlashMetricsAndRefusesWrites() throws Exception {
        try (ComponentMetrics metrics = new ComponentMetrics("server-test");
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics);
             HttpClient http = HttpClient.newHttpClient()) {
            Counter.builder("sluice.test.served").register(metrics.registry()).increment();
            URI url = server.url();
            assertThat(url.toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
            assertThat(get.body()).contains("sluice_test_served_total{component=\"server-test\"} 1.0");

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
