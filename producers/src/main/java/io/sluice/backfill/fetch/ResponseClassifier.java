package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarFormatException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/**
 * What a response status or an exception means for a task: pure functions, so the retry rules
 * are tested without a network. A status decides alone; an exception also depends on whether the
 * body had started (an I/O error then means a body cut short, before it a failed connection).
 */
final class ResponseClassifier {

    private ResponseClassifier() {
    }

    /** Empty for a success (2xx), else why the response is not a repository. */
    static Optional<FailureReason> ofStatus(int status) {
        if (status >= 200 && status < 300) return Optional.empty();
        if (status == 429) return Optional.of(FailureReason.RATE_LIMITED);
        if (status == 408) return Optional.of(FailureReason.TIMEOUT);
        if (status >= 500 && status < 600) return Optional.of(FailureReason.SERVER_ERROR);
        // Other 4xx (RepoNotFound, RepoTakendown, ...), redirects (never followed) and oddities.
        return Optional.of(FailureReason.CLIENT_ERROR);
    }

    /** Why an attempt that threw {@code e} failed. */
    static FailureReason ofException(Exception e, boolean bodyStarted) {
        return switch (e) {
            case CarFormatException car -> switch (car.reason()) {
                case TRUNCATED -> FailureReason.TRUNCATED;
                case LIMIT_EXCEEDED -> FailureReason.LIMIT_EXCEEDED;
                case MALFORMED -> FailureReason.MALFORMED;
            };
            case AtprotoFormatException format -> FailureReason.MALFORMED;
            case Outputs.RecordTooLargeException tooLarge -> FailureReason.LIMIT_EXCEEDED;
            case HttpConnectTimeoutException connectTimeout -> FailureReason.CONNECTION;
            case HttpTimeoutException timeout -> FailureReason.TIMEOUT;
            case ConnectException connect -> FailureReason.CONNECTION;
            case IOException io -> bodyStarted ? FailureReason.TRUNCATED : FailureReason.CONNECTION;
            default -> FailureReason.INTERNAL_ERROR;
        };
    }
}
