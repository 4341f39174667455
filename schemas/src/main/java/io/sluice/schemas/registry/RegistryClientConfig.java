package io.sluice.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Confluent-compatible schema registry, validated once.
 *
 * @param url            base URL of the API, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}
 *                       (Apicurio) or {@code http://localhost:8081} (Confluent, Karapace)
 * @param maxRetries     how many times a transient failure (no connection, 5xx) is retried
 * @param initialBackoff wait before the first retry; doubled before each further one
 * @param requestTimeout limit for one HTTP exchange
 */
public record RegistryClientConfig(String url, int maxRetries, Duration initialBackoff, Duration requestTimeout) {

    public static final int DEFAULT_MAX_RETRIES = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public RegistryClientConfig {
        Objects.requireNonNull(url, "registry url");
        url = url.trim();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry url is not a URL: '" + url + "'", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("registry url must be an absolute http or https URL, got '" + url + "'");
        }
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (initialBackoff.isNegative()) throw new IllegalArgumentException("initialBackoff must not be negative");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /** The registry at {@code url} with default retries and timeouts. */
    public static RegistryClientConfig of(String url) {
        return new RegistryClientConfig(url, DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_REQUEST_TIMEOUT);
    }

    public RegistryClientConfig withRetries(int maxRetries, Duration initialBackoff) {
        return new RegistryClientConfig(url, maxRetries, initialBackoff, requestTimeout);
    }
}
