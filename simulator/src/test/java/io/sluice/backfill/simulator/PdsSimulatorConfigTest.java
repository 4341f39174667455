package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PdsSimulatorConfigTest {

    @Test
    void defaultsAreTheReferencePdsLimitsAndNoFaults() {
        PdsSimulatorConfig config = PdsSimulatorConfig.builder().build();
        assertThat(config.rateLimit()).isEqualTo(new RateLimitPolicy(3000, 300));
        assertThat(config.rateLimit().header()).isEqualTo("3000;w=300");
        assertThat(config.faults().any()).isFalse();
        assertThat(config.port()).isZero();
        assertThat(PdsSimulatorConfig.builder().hosts(50).didsPerHost(400).build().dids()).isEqualTo(20_000);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsNonsenseAtConstruction() {
        assertThatThrownBy(() -> PdsSimulatorConfig.builder().hosts(0).build()).hasMessageContaining("hosts must be");
        assertThatThrownBy(() -> PdsSimulatorConfig.builder().dids(0).build()).hasMessageContaining("dids must be");
        assertThatThrownBy(() -> PdsSimulatorConfig.builder().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> PdsSimulatorConfig.builder().bigRepoBytes(10).build()).hasMessageContaining("not big");
        assertThatThrownBy(() -> new RateLimitPolicy(0, 300)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Latency(-1, 0)).hasMessageContaining("negative");
        assertThatThrownBy(() -> Faults.NONE.withP429(0.6).withP5xx(0.6)).hasMessageContaining("must not exceed 1");
        assertThatThrownBy(() -> Faults.NONE.withP5xx(1.5)).hasMessageContaining("probability");
        assertThatThrownBy(() -> Faults.NONE.withStorms(0.1, 0)).hasMessageContaining("stormMillis");
        assertThatThrownBy(() -> RecordCounts.uniform(5, 2)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> RecordCounts.Shape.parse("normal")).hasMessage(
                "unknown record count shape 'normal'; allowed: uniform, skewed");
        assertThat(RecordCounts.Shape.parse("SKEWED")).isEqualTo(RecordCounts.Shape.SKEWED);
    }

    @Test
    void recordCountsStayInRangeWithTheAnnouncedMean() {
        for (RecordCounts counts : new RecordCounts[] {RecordCounts.uniform(10, 200), RecordCounts.skewed(0, 1000),
                RecordCounts.exactly(7)}) {
            SplittableRandom rng = new SplittableRandom(5);
            double sum = 0;
            for (int i = 0; i < 50_000; i++) {
                int n = counts.draw(rng);
                assertThat(n).isBetween(counts.min(), counts.max());
                sum += n;
            }
            assertThat(sum / 50_000).isCloseTo(counts.mean(), org.assertj.core.data.Percentage.withPercentage(3));
        }
    }
}
