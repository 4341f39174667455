package io.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.common.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one request to the registry and returns its answer as JSON, retrying transient failures
 * (no connection, timeout, 5xx) with exponential backoff. Every request sluice sends is idempotent
 * (registering the same schema twice yields the same id), so a retry after a lost answer is safe.
 * Non-2xx answers that are not retried are returned to the caller, who knows what they mean, except
 * 401 and 403, which no caller can act on: they fail at once naming the auth mode, never the credential.
 *
 * <p>Credentials (Basic or Bearer, see {@link io.sluice.common.client.RegistrySettings}) travel only in
 * the {@code Authorization} header; the URL printed in logs and errors carries none.
 */
final class RegistryHttp {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);

    /** The registry's answer: status and parsed body ({@code error_code} and {@code message} on errors). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        int errorCode() {
            JsonNode code = body.get("error_code");
            return code != null && code.canConvertToInt() ? code.asInt() : SchemaRegistryException.NO_ERROR_CODE;
        }

        String message() {
            JsonNode message = body.get("message");
            if (message != null && !message.isNull()) return message.asText();
            return body.isTextual() ? body.asText() : body.toString();
        }
    }

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final ObjectMapper json;
    private final String authorization;

    RegistryHttp(RegistryClientConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        // HTTP/1.1: the default HTTP/2 upgrade attempt on plain http is needless and some
        // registries' front proxies handle it badly.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout());
        if (config.registry().hasTlsStores()) builder.sslContext(RegistryTls.context(config.registry()));
        this.http = builder.build();
        this.authorization = config.registry().authorizationHeader().orElse(null);
    }

    Answer get(String path) {
        return send(path, builder -> builder.GET());
    }

    Answer post(String path, Object body) {
        String text = toJson(body);
        return send(path, builder -> builder.POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
    }

    Answer put(String path, Object body) {
        String text = toJson(body);
        return send(path, builder -> builder.PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
    }

    private interface Method {
        HttpRequest.Builder apply(HttpRequest.Builder builder);
    }

    private Answer send(String path, Method method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.requestTimeout())
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", ACCEPT);
        if (authorization != null) builder.header("Authorization", authorization);
        HttpRequest request = method.apply(builder).build();
        Backoff backoffs = config.backoff();
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= config.maxRetries();
            Duration backoff = last ? Duration.ZERO : backoffs.delay(attempt + 1);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Answer answer = new Answer(response.statusCode(), parse(response.body()));
                if (answer.status() == 401 || answer.status() == 403) throw unauthorized(request, answer);
                if (answer.status() < 500 || last) return answer;
                log.warn("registry {} {} answered {} ({}), retrying in {} ms", request.method(), request.uri(),
                        answer.status(), answer.message(), backoff.toMillis());
            } catch (IOException e) {
                if (last) {
                    throw new SchemaRegistryException("schema registry " + config.url() + " unreachable after "
                            + (attempt + 1) + " attempts: " + describe(e), SchemaRegistryException.NO_RESPONSE,
                            SchemaRegistryException.NO_ERROR_CODE, null, e);
                }
                log.warn("registry {} {} failed ({}), retrying in {} ms", request.method(), request.uri(),
                        describe(e), backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(e);
            }
            sleep(backoff);
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) return json.createObjectNode();
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            // An HTML error page from a proxy, say: keep its text as the message.
            String text = body.length() > 500 ? body.substring(0, 500) + "..." : body;
            return json.getNodeFactory().textNode(text.strip());
        }
    }

    private String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a registry request as JSON", e);
        }
    }

    private void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        }
    }

    private SchemaRegistryException unauthorized(HttpRequest request, Answer answer) {
        String what = answer.status() == 401 ? "HTTP 401 Unauthorized" : "HTTP 403 Forbidden";
        String hint = switch (config.registry().authMode()) {
            case NONE -> "no credentials were sent; set basic.auth.* or bearer.auth.* in the command config";
            case BASIC -> "the Basic credentials (basic.auth.user.info) were refused";
            case BEARER -> "the Bearer token (bearer.auth.token) was refused";
        };
        return new SchemaRegistryException("schema registry " + config.url() + " answered " + what + " to "
                + request.method() + " " + request.uri().getPath() + " (" + hint + "): " + answer.message(), answer.status(),
                answer.errorCode(), answer.message());
    }

    private SchemaRegistryException interrupted(InterruptedException e) {
        return new SchemaRegistryException("interrupted while calling schema registry " + config.url(),
                SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_ERROR_CODE, null, e);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) message = e.getCause().toString();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
