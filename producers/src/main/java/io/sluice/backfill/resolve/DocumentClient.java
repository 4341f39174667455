package io.sluice.backfill.resolve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One GET of a DID document, its outcome classified: 200 gives the parsed JSON; 404 and 410 are
 * {@link FailureReason#NOT_FOUND}; 408, 425, 429 and 5xx, connection failures and timeouts are
 * retryable; any other status (a redirect included: following it could bypass the address guard) is
 * {@link FailureReason#HTTP_ERROR}. Bodies over {@link #MAX_DOCUMENT_BYTES} are refused unread.
 */
final class DocumentClient implements DocumentSource {

    /** Real DID documents are about 1 KB; this leaves room and bounds memory per lookup. */
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    DocumentClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public JsonNode get(URI url) throws ResolutionException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Accept", "application/did+ld+json, application/json")
                .header("User-Agent", "sluice-resolver")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ResolutionException.retryable("GET " + url + " failed: " + e, e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 200) return parse(url, body);
            if (status == 404 || status == 410) {
                throw ResolutionException.permanent(FailureReason.NOT_FOUND, "GET " + url + ": HTTP " + status);
            }
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                throw ResolutionException.retryable("GET " + url + ": HTTP " + status, null);
            }
            throw ResolutionException.permanent(FailureReason.HTTP_ERROR, "GET " + url + ": HTTP " + status);
        } catch (IOException e) {
            throw ResolutionException.retryable("reading " + url + " failed: " + e, e);
        }
    }

    private static JsonNode parse(URI url, InputStream body) throws IOException, ResolutionException {
        byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw ResolutionException.permanent(FailureReason.INVALID_DOCUMENT,
                    "DID document at " + url + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        return document(url, bytes);
    }

    /** The JSON of a document body already read (and bounded): the part a hostile server controls. */
    static JsonNode document(URI url, byte[] bytes) throws ResolutionException {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ResolutionException.permanent(FailureReason.INVALID_DOCUMENT,
                    "DID document at " + url + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // Jackson declares it; a byte array has no I/O to fail, so this is only ever a parse error.
            throw ResolutionException.permanent(FailureReason.INVALID_DOCUMENT,
                    "DID document at " + url + " is not JSON: " + e.getMessage(), e);
        }
    }
}
