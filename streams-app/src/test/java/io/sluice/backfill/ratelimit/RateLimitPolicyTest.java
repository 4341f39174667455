package io.sluice.backfill.ratelimit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "3000/300s, 3000, 300000",
            "3000/5m, 3000, 300000",
            "20/s, 20, 1000",
            "20/1s, 20, 1000",
            "100/500ms, 100, 500",
            "10/1h, 10, 3600000",
            "'  7/2s ', 7, 2000",
            "3000;w=300, 3000, 300000",
            "1;w=1, 1, 1000",
    })
    void parsesEveryAcceptedForm(String text, int limit, long windowMillis) {
        RateLimitPolicy p = RateLimitPolicy.parse(text);
        assertThat(p.limit()).isEqualTo(limit);
        assertThat(p.windowMillis()).isEqualTo(windowMillis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3000", "3000/", "3000/300", "/300s", "3000/300x", "3000/300S", "0/s", "-1/s", "3000;w=",
            "3000;w=0", "3000; w=300", "3000;w=300;comment=x", "20/0s", "abc", "99999999999/s", "20 / s", "20/1.5s"})
    void rejectsAnythingElseListingTheAcceptedFormats(String text) {
        assertThatThrownBy(() -> RateLimitPolicy.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("3000/300s").hasMessageContaining("20/s").hasMessageContaining("3000;w=300");
    }

    @Test
    void nullIsRejectedToo() {
        assertThatThrownBy(() -> RateLimitPolicy.parse(null)).hasMessageContaining("accepted formats");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3000/5m", "20/s", "100/500ms", "10/1h", "7/90s"})
    void canonicalFormReadsBack(String text) {
        RateLimitPolicy p = RateLimitPolicy.parse(text);
        assertThat(RateLimitPolicy.parse(p.toString())).isEqualTo(p);
    }

    @Test
    void printsTheShortestForm() {
        assertThat(RateLimitPolicy.parse("20/1s")).hasToString("20/s");
        assertThat(RateLimitPolicy.parse("3000;w=300")).hasToString("3000/5m");
        assertThat(RateLimitPolicy.parse("7/90s")).hasToString("7/90s");
        assertThat(RateLimitPolicy.parse("100/1500ms")).hasToString("100/1500ms");
    }

    @Test
    void statesItsRate() {
        assertThat(RateLimitPolicy.PDS_DEFAULT.perSecond()).isEqualTo(10.0);
        assertThat(RateLimitPolicy.parse("20/s").perSecond()).isEqualTo(20.0);
        assertThat(RateLimitPolicy.PDS_DEFAULT).isEqualTo(RateLimitPolicy.parse("3000;w=300"));
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> RateLimitPolicy.of(0, Duration.ofSeconds(1))).hasMessageContaining("at least 1 request");
        assertThatThrownBy(() -> RateLimitPolicy.of(1, Duration.ZERO)).hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> RateLimitPolicy.of(1, Duration.ofNanos(1_500_000))).hasMessageContaining("milliseconds");
    }
}
