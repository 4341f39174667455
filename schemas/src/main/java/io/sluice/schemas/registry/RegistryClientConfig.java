package io.sluice.schemas.registry;

import io.sluice.common.retry.Backoff;
import io.sluice.common.client.RegistrySettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Confluent-compatible schema registry, validated once.
 *
 * @param registry       URL, authentication and TLS settings; the URL is the base of the API, e.g.
 *                       {@code http://127.0.0.1:8080/apis/ccompat/v7} (Apicurio) or
 *                       {@code http://localhost:8081} (Confluent, Karapace)
 * @param maxRetries     how many times a transient failure (no connection, 5xx) is retried
 * @param initialBackoff wait before the first retry; doubled before each further one
 * @param requestTimeout limit for one HTTP exchange
 */
public record RegistryClientConfig(RegistrySettings registry, int maxRetries, Duration initialBackoff,
                                   Duration requestTimeout) {

    public static final int DEFAULT_MAX_RETRIES = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public RegistryClientConfig {
        Objects.requireNonNull(registry, "registry");
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (initialBackoff.isNegative()) throw new IllegalArgumentException("initialBackoff must not be negative");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /** An unauthenticated registry at {@code url}. */
    public RegistryClientConfig(String url, int maxRetries, Duration initialBackoff, Duration requestTimeout) {
        this(RegistrySettings.plaintext(url), maxRetries, initialBackoff, requestTimeout);
    }

    /** The registry at {@code url} with default retries and timeouts. */
    public static RegistryClientConfig of(String url) {
        return of(RegistrySettings.plaintext(url));
    }

    /** The registry {@code registry} describes, with default retries and timeouts. */
    public static RegistryClientConfig of(RegistrySettings registry) {
        return new RegistryClientConfig(registry, DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_REQUEST_TIMEOUT);
    }

    /** Where requests go: the URL without user info (credentials travel in a header), safe to print. */
    public String url() {
        return registry.requestUrl();
    }

    /**
     * The wait before each retry: {@code initialBackoff}, doubled before each further one, without jitter
     * (one client per process: no herd to spread). Capped where {@code maxRetries} ends it anyway.
     */
    public Backoff backoff() {
        return Backoff.doubling(initialBackoff, initialBackoff.multipliedBy(1L << Math.min(30, Math.max(0, maxRetries - 1))), 0);
    }

    public RegistryClientConfig withRetries(int maxRetries, Duration initialBackoff) {
        return new RegistryClientConfig(registry, maxRetries, initialBackoff, requestTimeout);
    }
}
