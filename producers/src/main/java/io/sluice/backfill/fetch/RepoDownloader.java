package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.car.CarFormatException;
import io.sluice.backfill.atproto.store.BlockStore;
import io.sluice.backfill.atproto.store.MemoryBudget;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.backfill.FetchTask;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One download attempt ({@link #latestCommit} asks first whether one is needed): {@code GET {pds}/xrpc/com.atproto.sync.getRepo?did=...} with
 * {@code Accept: application/vnd.ipld.car}, the body streamed straight into a {@link BlockStore}
 * (never buffered whole), checked against Content-Length, then walked into records for the
 * emitter. Every outcome, including every exception the network or the bytes can cause, becomes an
 * {@link Attempt}; only an interrupt (the fetcher closing) escapes.
 */
final class RepoDownloader {

    private static final int ERROR_BODY_CHARS = 512;
    private static final int LATEST_COMMIT_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final EndpointPolicy endpoints;
    private final FetcherConfig config;
    private final MemoryBudget memory;
    private final BodyWatchdog watchdog;

    RepoDownloader(HttpClient http, EndpointPolicy endpoints, FetcherConfig config, MemoryBudget memory,
                   BodyWatchdog watchdog) {
        this.http = http;
        this.endpoints = endpoints;
        this.config = config;
        this.memory = memory;
        this.watchdog = watchdog;
    }

    /**
     * @param answered called once the PDS has answered (status and headers), before the body is read:
     *                 nothing that may park the thread runs between the caller's deadline check and the
     *                 request, so a request checked in time reaches the PDS in time
     */
    Attempt fetch(FetchTask task, Runnable answered, RepoExtractor.Emitter emitter) throws InterruptedException {
        return get(() -> endpoints.getRepoUri(task.getPdsEndpoint(), task.getDid()), "application/vnd.ipld.car",
                (response, body, headers) -> {
                    answered.run();
                    Optional<FailureReason> bad = ResponseClassifier.ofStatus(response.statusCode());
                    if (bad.isPresent()) {
                        return failed(bad.get(), "HTTP " + response.statusCode() + " " + errorText(body), null, headers);
                    }
                    return read(task, body, response.headers().firstValueAsLong("content-length").orElse(-1), emitter, headers);
                });
    }

    /**
     * {@code GET {pds}/xrpc/com.atproto.sync.getLatestCommit?did=...}: the repository's latest revision
     * ({@code {"cid", "rev"}}, a few bytes) as {@link Attempt.Checked}, or why not as {@link Attempt.Failed}.
     */
    Attempt latestCommit(FetchTask task) throws InterruptedException {
        return get(() -> endpoints.getLatestCommitUri(task.getPdsEndpoint(), task.getDid()), "application/json",
                (response, body, headers) -> {
                    Optional<FailureReason> bad = ResponseClassifier.ofStatus(response.statusCode());
                    if (bad.isPresent()) {
                        return failed(bad.get(), "HTTP " + response.statusCode() + " " + errorText(body), null, headers);
                    }
                    try {
                        // a bounded read: the answer is two short strings
                        JsonNode rev = JSON.readTree(body.readNBytes(LATEST_COMMIT_BYTES)).path("rev");
                        if (!rev.isTextual() || rev.asText().isEmpty()) {
                            return failed(FailureReason.MALFORMED, "getLatestCommit answered without a rev", null, headers);
                        }
                        return new Attempt.Checked(rev.asText(), headers, System.currentTimeMillis());
                    } catch (IOException e) {
                        return failed(FailureReason.MALFORMED, "getLatestCommit: " + e.getMessage(), e, headers);
                    }
                });
    }

    /** Where a GET goes; the policy may refuse the endpoint. */
    private interface Target {
        URI uri() throws EndpointPolicy.RejectedEndpointException, UnknownHostException;
    }

    /** What to make of an answer (status, headers and the open body). */
    private interface Answer {
        Attempt read(HttpResponse<InputStream> response, InputStream body, RateLimitHeaders headers)
                throws IOException, InterruptedException;
    }

    /** The one GET both requests make: a refused or unresolvable endpoint, a failed send and closing the body as failures. */
    private Attempt get(Target target, String accept, Answer answer) throws InterruptedException {
        URI uri;
        try {
            uri = target.uri();
        } catch (EndpointPolicy.RejectedEndpointException e) {
            return failed(FailureReason.ENDPOINT_REJECTED, e.getMessage(), e, RateLimitHeaders.NONE);
        } catch (UnknownHostException e) {
            return failed(FailureReason.CONNECTION, "cannot resolve " + e.getMessage(), e, RateLimitHeaders.NONE);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(config.http().responseTimeout())
                .header("Accept", accept).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return failed(ResponseClassifier.ofException(e, false), "GET " + uri + ": " + e, e, RateLimitHeaders.NONE);
        }
        RateLimitHeaders headers = RateLimitHeaders.of(response.headers());
        try (InputStream body = response.body()) {
            return answer.read(response, body, headers);
        } catch (IOException e) {
            return failed(FailureReason.TRUNCATED, "closing the body: " + e, e, headers);
        }
    }

    private Attempt read(FetchTask task, InputStream body, long contentLength, RepoExtractor.Emitter emitter,
                         RateLimitHeaders headers) throws InterruptedException {
        try (BlockStore store = new BlockStore(memory, config.spillDir())) {
            RepoExtractor.Loaded loaded;
            try (BodyWatchdog.Watch watch = watchdog.watch(body)) {
                try {
                    loaded = RepoExtractor.load(watch.stream(), config.limits(), store);
                } catch (CarFormatException e) {
                    if (e.reason() == CarFormatException.Reason.TRUNCATED && contentLength >= 0
                            && watch.bytes() >= contentLength) {
                        // The whole body arrived and still ends inside a block: the PDS sends a broken
                        // CAR, and will again. A body cut short in transit is retried as TRUNCATED.
                        return failed(FailureReason.MALFORMED, "the body is complete (" + contentLength
                                + " bytes) but its CAR is cut short: " + e.getMessage(), e, headers);
                    }
                    throw e;
                } catch (IOException e) {
                    if (watch.fired()) return timedOut(watch, headers);
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedException("closing during a download");
                    return failed(ResponseClassifier.ofException(e, true), "body broke after " + watch.bytes() + " bytes: "
                            + e, e, headers);
                }
                if (!watch.finish()) return timedOut(watch, headers);
                if (contentLength >= 0 && watch.bytes() != contentLength) {
                    return failed(FailureReason.TRUNCATED, "body has " + watch.bytes() + " of the " + contentLength
                            + " bytes of its Content-Length", null, headers);
                }
            }
            RepoExtractor.Summary summary = RepoExtractor.walk(loaded, store, task.getDid(),
                    RecordDecoder.forCar(config, loaded.bytes()), emitter);
            // Blocks missing from the CAR (summary.missing) are the TaskRunner's to judge: retry or PARTIAL.
            return new Attempt.Fetched(summary, headers, System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            // RuntimeException: atproto format errors, an oversized record, the spill file; classified,
            // never allowed to end the worker.
            return failed(ResponseClassifier.ofException(e, true), String.valueOf(e.getMessage()), e, headers);
        }
    }

    private Attempt timedOut(BodyWatchdog.Watch watch, RateLimitHeaders headers) {
        return failed(FailureReason.TIMEOUT, "body stalled or exceeded " + config.http().bodyTimeout() + " after "
                + watch.bytes() + " bytes", null, headers);
    }

    private static Attempt failed(FailureReason reason, String message, Exception cause, RateLimitHeaders headers) {
        return new Attempt.Failed(reason, message, cause, headers, System.currentTimeMillis());
    }

    /** The start of an error body (XRPC errors are JSON: {"error":"RepoNotFound","message":...}). */
    private static String errorText(InputStream body) {
        try {
            byte[] head = body.readNBytes(ERROR_BODY_CHARS);
            return new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }
}
