package io.sluice.common.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Optional bearer-token authentication of an HTTP listener: when a token is set, every request must
 * carry {@code Authorization: Bearer <token>}; {@code /metrics} is exempt unless {@code metricsToo}
 * (a Prometheus scraper often has no token). The token never appears in {@link #toString()}.
 *
 * @param token      the token; empty: no authentication
 * @param metricsToo whether {@code /metrics} needs the token as well
 */
public record HttpAuth(Optional<String> token, boolean metricsToo) {

    public HttpAuth {
        if (token == null) throw new IllegalArgumentException("token must not be null (use Optional.empty())");
        token.ifPresent(t -> {
            if (t.isBlank()) throw new IllegalArgumentException("the auth token must not be empty");
        });
    }

    /** No authentication: every request is let in. */
    public static HttpAuth none() {
        return new HttpAuth(Optional.empty(), false);
    }

    /**
     * The token in {@code file} (its first line, surrounding whitespace dropped, so a trailing newline does
     * not count). A missing, unreadable or empty file is an IllegalArgumentException naming the file.
     */
    public static HttpAuth fromFile(Path file, boolean metricsToo) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        String token = content.lines().findFirst().orElse("").strip();
        if (token.isEmpty()) throw new IllegalArgumentException("the token file " + file + " is empty");
        return new HttpAuth(Optional.of(token), metricsToo);
    }

    public boolean enabled() {
        return token.isPresent();
    }

    /** Whether a request to {@code path} needs the token. */
    boolean required(String path) {
        return enabled() && (metricsToo || !path.equals("/metrics"));
    }

    /**
     * Whether {@code authorization} (the header, may be null) carries the token; constant time in the token.
     * The gRPC listener checks its {@code authorization} metadata with this too.
     */
    public boolean accepts(String authorization) {
        if (token.isEmpty()) return true;
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        // never the token: configs end up in logs
        return enabled() ? "HttpAuth[bearer token, metrics " + (metricsToo ? "protected" : "exempt") + "]" : "HttpAuth[none]";
    }
}
