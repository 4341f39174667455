package io.sluice.common.client;

import io.sluice.common.redact.Redaction;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to reach the schema registry: its URL and the {@code schema.registry.*}, {@code basic.auth.*} and
 * {@code bearer.auth.*} properties, spelled as Confluent's serializers take them. Validated once:
 * <ul>
 *   <li>Basic auth: {@code basic.auth.credentials.source=USER_INFO} with {@code basic.auth.user.info}
 *       (or {@code schema.registry.basic.auth.user.info}) {@code user:password}; or {@code =URL} with
 *       the user info in the URL ({@code https://user:password@host/…}). A user info without a source
 *       means USER_INFO, where Confluent's client would silently ignore it.</li>
 *   <li>Bearer auth: {@code bearer.auth.credentials.source=STATIC_TOKEN} with {@code bearer.auth.token};
 *       a token without a source means STATIC_TOKEN.</li>
 *   <li>TLS: {@code schema.registry.ssl.truststore.location/password/type} and
 *       {@code schema.registry.ssl.keystore.location/password/type}, {@code schema.registry.ssl.key.password}.</li>
 * </ul>
 * {@link #toString()} hides every credential.
 *
 * @param url        base URL of the Confluent-compatible API
 * @param properties the registry properties, without {@code schema.registry.url}
 */
public record RegistrySettings(String url, Map<String, String> properties) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_USER_INFO = "basic.auth.user.info";
    public static final String PREFIXED_BASIC_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String BEARER_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_TOKEN = "bearer.auth.token";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** How the client authenticates to the registry. */
    public enum AuthMode { NONE, BASIC, BEARER }

    public RegistrySettings {
        Objects.requireNonNull(url, "registry url");
        url = url.trim();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry url is not a URL: '" + Redaction.url(url) + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("registry url must be an absolute http or https URL, got '"
                    + Redaction.url(url) + "'");
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "registry properties"));
        for (String key : properties.keySet()) {
            if (!isRegistryKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a registry property (schema.registry.*, "
                        + "basic.auth.*, bearer.auth.*)");
            }
        }
        validateAuth(uri, properties);
        requireReadable(properties, TRUSTSTORE_LOCATION);
        requireReadable(properties, KEYSTORE_LOCATION);
    }

    /** The registry at {@code url} without authentication or TLS settings. */
    public static RegistrySettings plaintext(String url) {
        return new RegistrySettings(url, Map.of());
    }

    /** Whether {@code key} belongs to the registry client rather than to the Kafka clients. */
    public static boolean isRegistryKey(String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.") || key.startsWith("bearer.auth.");
    }

    /**
     * The registry settings in a serde or converter config map ({@code configure(Map)}): its
     * {@code schema.registry.url} and every registry property in it.
     *
     * @throws IllegalArgumentException when the map has no {@code schema.registry.url}
     */
    public static RegistrySettings fromConfig(Map<String, ?> config) {
        Object url = config.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("'" + URL + "' is required");
        }
        Map<String, String> properties = new HashMap<>();
        config.forEach((key, value) -> {
            if (isRegistryKey(key) && !URL.equals(key) && value != null) properties.put(key, value.toString());
        });
        return new RegistrySettings(url.toString(), properties);
    }

    /** {@code schema.registry.url} and the registry properties, to pass to a serde's {@code configure(Map)}. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(URL, url);
        return config;
    }

    public AuthMode authMode() {
        if (properties.containsKey(BEARER_TOKEN)) return AuthMode.BEARER;
        return basicUserInfo().isPresent() ? AuthMode.BASIC : AuthMode.NONE;
    }

    /** {@code user:password} for Basic auth, from the properties or the URL, as the source says. */
    public Optional<String> basicUserInfo() {
        String source = properties.get(BASIC_SOURCE);
        if ("URL".equals(source) || source == null && userInfo() != null && !hasPropertyUserInfo()) {
            return Optional.ofNullable(userInfo());
        }
        String info = properties.getOrDefault(PREFIXED_BASIC_USER_INFO, properties.get(BASIC_USER_INFO));
        return Optional.ofNullable(info);
    }

    public Optional<String> bearerToken() {
        return Optional.ofNullable(properties.get(BEARER_TOKEN));
    }

    /** The value of the {@code Authorization} header every request carries, if any. */
    public Optional<String> authorizationHeader() {
        return switch (authMode()) {
            case NONE -> Optional.empty();
            case BEARER -> Optional.of("Bearer " + properties.get(BEARER_TOKEN));
            case BASIC -> Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    basicUserInfo().orElseThrow().getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** The URL without user info: what requests are sent to (credentials travel in the header). */
    public String requestUrl() {
        URI uri = URI.create(url);
        if (uri.getRawUserInfo() == null) return url;
        return url.replaceFirst("//[^@/]*@", "//");
    }

    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Whether a trust store or key store is configured for https. */
    public boolean hasTlsStores() {
        return properties.containsKey(TRUSTSTORE_LOCATION) || properties.containsKey(KEYSTORE_LOCATION);
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + Redaction.url(url) + ", auth=" + authMode()
                + ", properties=" + Redaction.config(new TreeMap<>(properties)) + "]";
    }

    private String userInfo() {
        return URI.create(url).getRawUserInfo() == null ? null
                : java.net.URLDecoder.decode(URI.create(url).getRawUserInfo(), StandardCharsets.UTF_8);
    }

    private boolean hasPropertyUserInfo() {
        return properties.containsKey(BASIC_USER_INFO) || properties.containsKey(PREFIXED_BASIC_USER_INFO);
    }

    private static void validateAuth(URI uri, Map<String, String> properties) {
        String basic = properties.get(BASIC_SOURCE);
        boolean userInfo = properties.containsKey(BASIC_USER_INFO) || properties.containsKey(PREFIXED_BASIC_USER_INFO);
        if (basic != null) {
            switch (basic) {
                case "USER_INFO" -> {
                    if (!userInfo) {
                        throw new IllegalArgumentException(BASIC_SOURCE + "=USER_INFO needs " + BASIC_USER_INFO
                                + " (or " + PREFIXED_BASIC_USER_INFO + ") as user:password");
                    }
                }
                case "URL" -> {
                    if (uri.getRawUserInfo() == null) {
                        throw new IllegalArgumentException(BASIC_SOURCE + "=URL needs the registry URL to carry "
                                + "user:password@ before the host");
                    }
                }
                default -> throw new IllegalArgumentException(BASIC_SOURCE + " must be USER_INFO or URL, got '"
                        + basic + "'");
            }
        }
        String info = properties.getOrDefault(PREFIXED_BASIC_USER_INFO, properties.get(BASIC_USER_INFO));
        if (info != null && (basic == null || basic.equals("USER_INFO")) && info.indexOf(':') < 0) {
            throw new IllegalArgumentException(BASIC_USER_INFO + " must be user:password");
        }
        String bearer = properties.get(BEARER_SOURCE);
        boolean token = properties.containsKey(BEARER_TOKEN);
        if (bearer != null && !bearer.equals("STATIC_TOKEN")) {
            throw new IllegalArgumentException(BEARER_SOURCE + " must be STATIC_TOKEN (the only source sluice "
                    + "supports), got '" + bearer + "'");
        }
        if (bearer != null && !token) {
            throw new IllegalArgumentException(BEARER_SOURCE + "=STATIC_TOKEN needs " + BEARER_TOKEN);
        }
        if (token && (basic != null || userInfo)) {
            throw new IllegalArgumentException("both basic auth (" + BASIC_SOURCE + "/" + BASIC_USER_INFO
                    + ") and bearer auth (" + BEARER_TOKEN + ") are set; choose one");
        }
    }

    private static void requireReadable(Map<String, String> properties, String key) {
        String location = properties.get(key);
        if (location != null && !Files.isReadable(Path.of(location))) {
            throw new IllegalArgumentException(key + ": cannot read '" + location + "'");
        }
    }
}
