package io.sluice.ops.metrics;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {

    @Test
    void readsNamesLabelsAndValuesSkippingComments() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP x_total a counter
                # TYPE x_total counter
                x_total{host="a.example",note="say \\"hi\\", twice"} 3.0
                up 1
                lag{p="0"} NaN 1700000000000
                """);
        assertThat(samples).containsExactly(
                new PrometheusText.Sample("x_total", Map.of("host", "a.example", "note", "say \"hi\", twice"), 3.0),
                new PrometheusText.Sample("up", Map.of(), 1.0),
                new PrometheusText.Sample("lag", Map.of("p", "0"), Double.NaN));
        assertThat(PrometheusText.single(samples, "x_total", Map.of("host", "a.example"))).map(PrometheusText.Sample::value).contains(3.0);
        assertThat(PrometheusText.find(samples, "x_total", Map.of("host", "b"))).isEmpty();
    }

    @Test
    void namesTheLineThatIsNotASample() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{a=1} 2\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }

    @Test
    void readsWhatComponentMetricsServes() {
        try (ComponentMetrics metrics = new ComponentMetrics("test")) {
            Counter.builder("sluice.test.things").tag("stage", "s").register(metrics.registry()).increment(5);
            List<PrometheusText.Sample> samples = PrometheusText.parse(metrics.scrape());
            assertThat(PrometheusText.single(samples, "sluice_test_things_total", Map.of("component", "test", "stage", "s")))
                    .map(PrometheusText.Sample::value).contains(5.0);
            assertThat(PrometheusText.find(samples, "jvm_memory_used_bytes", Map.of("component", "test"))).isNotEmpty();
        }
    }
}
