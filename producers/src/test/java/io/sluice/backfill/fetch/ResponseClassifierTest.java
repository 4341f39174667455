package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.car.CarFormatException;
import io.sluice.backfill.atproto.car.CarFormatException.Reason;
import io.sluice.backfill.atproto.mst.MstFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseClassifierTest {

    @ParameterizedTest
    @CsvSource({"429,RATE_LIMITED", "500,SERVER_ERROR", "502,SERVER_ERROR", "503,SERVER_ERROR", "599,SERVER_ERROR",
            "408,TIMEOUT", "400,CLIENT_ERROR", "404,CLIENT_ERROR", "410,CLIENT_ERROR", "301,CLIENT_ERROR", "100,CLIENT_ERROR"})
    void failingStatuses(int status, FailureReason reason) {
        assertThat(ResponseClassifier.ofStatus(status)).contains(reason);
    }

    @ParameterizedTest
    @CsvSource({"200", "203", "299"})
    void successes(int status) {
        assertThat(ResponseClassifier.ofStatus(status)).isEmpty();
    }

    @Test
    void carErrorsFollowTheirReason() {
        assertThat(ResponseClassifier.ofException(new CarFormatException(Reason.TRUNCATED, 10, "cut"), true))
                .isEqualTo(FailureReason.TRUNCATED);
        assertThat(ResponseClassifier.ofException(new CarFormatException(Reason.LIMIT_EXCEEDED, 10, "big"), true))
                .isEqualTo(FailureReason.LIMIT_EXCEEDED);
        assertThat(ResponseClassifier.ofException(new CarFormatException(Reason.MALFORMED, 10, "junk"), true))
                .isEqualTo(FailureReason.MALFORMED);
        assertThat(ResponseClassifier.ofException(new MstFormatException("keys out of order"), true))
                .isEqualTo(FailureReason.MALFORMED);
        assertThat(ResponseClassifier.ofException(new Outputs.RecordTooLargeException("2 MB"), true))
                .isEqualTo(FailureReason.LIMIT_EXCEEDED);
    }

    @Test
    void networkErrorsDependOnWhetherTheBodyStarted() {
        assertThat(ResponseClassifier.ofException(new EOFException("eof"), true)).isEqualTo(FailureReason.TRUNCATED);
        assertThat(ResponseClassifier.ofException(new IOException("reset"), false)).isEqualTo(FailureReason.CONNECTION);
        assertThat(ResponseClassifier.ofException(new ConnectException("refused"), false)).isEqualTo(FailureReason.CONNECTION);
        assertThat(ResponseClassifier.ofException(new HttpConnectTimeoutException("slow"), false))
                .isEqualTo(FailureReason.CONNECTION);
        assertThat(ResponseClassifier.ofException(new HttpTimeoutException("no headers"), false))
                .isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void anythingElseIsAnInternalErrorAndRetryable() {
        FailureReason reason = ResponseClassifier.ofException(new UncheckedIOException(new IOException("disk full")), true);
        assertThat(reason).isEqualTo(FailureReason.INTERNAL_ERROR);
        assertThat(reason.retryable()).isTrue();
    }

    @Test
    void onlyTransientReasonsAreRetryable() {
        assertThat(FailureReason.values()).filteredOn(FailureReason::retryable).containsExactlyInAnyOrder(
                FailureReason.RATE_LIMITED, FailureReason.SERVER_ERROR, FailureReason.TIMEOUT, FailureReason.CONNECTION,
                FailureReason.TRUNCATED, FailureReason.INCOMPLETE, FailureReason.INTERNAL_ERROR);
        assertThat(FailureReason.LIMIT_EXCEEDED.code()).isEqualTo("limit-exceeded");
    }
}
