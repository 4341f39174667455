package io.sluice.common.client;

import io.sluice.common.redact.Redaction;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every Kafka client and the registry client of one command connect: the bootstrap servers, the
 * Kafka client properties of {@code --command-config} (TLS, SASL, DNS lookup, …) and the registry
 * settings. The one place client properties are built: {@link #producer()}, {@link #consumer()},
 * {@link #admin()} and {@link #streams()} return a fresh map with the bootstrap servers and the
 * client properties, and a stage adds only its own settings (group id, transactional id, idempotence,
 * serializers) on top. Those stage-owned properties cannot come from the file.
 *
 * @param bootstrapServers  {@code host:port[,host:port…]}
 * @param clientProperties  Kafka client properties applied to every client
 * @param registry          the schema registry, or null when the command was given none
 */
public record ConnectionSettings(String bootstrapServers, Map<String, String> clientProperties,
                                 RegistrySettings registry) {

    /** Properties each stage sets itself; a command config that sets them is refused. */
    public static final Set<String> STAGE_OWNED = Set.of(
            "bootstrap.servers", "group.id", "group.instance.id", "transactional.id", "application.id",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "default.key.serde", "default.value.serde");

    /** The session timeout of a Streams application's consumers (classic protocol). */
    public static final int STREAMS_SESSION_TIMEOUT_MS = 6_000;
    /** Their heartbeat interval: well under a third of the session timeout. */
    public static final int STREAMS_HEARTBEAT_INTERVAL_MS = 1_000;

    /**
     * The transaction timeout of an exactly-once Streams application that commits every
     * {@code commitInterval}: 5 s, or three commit intervals when longer. A SIGKILLed instance leaves
     * its transaction open, and until the coordinator aborts it the survivor can neither restore the
     * changelogs it wrote nor read what it produced (read_committed stops at the open transaction):
     * Streams' 10 s default would make that the takeover time. 5 s is ample for a transaction that
     * commits every commit interval.
     */
    public static int streamsTransactionTimeoutMs(Duration commitInterval) {
        return (int) Math.max(5_000L, 3 * commitInterval.toMillis());
    }

    private static final String GROUP_PROTOCOL = "group.protocol";
    private static final String SESSION_TIMEOUT = "session.timeout.ms";
    private static final String HEARTBEAT_INTERVAL = "heartbeat.interval.ms";
    private static final String CONSUMER_PREFIX = "consumer.";

    public ConnectionSettings {
        bootstrapServers = validateBootstrap(bootstrapServers);
        clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        for (String key : clientProperties.keySet()) {
            if (STAGE_OWNED.contains(key)) {
                throw new IllegalArgumentException("client property '" + key + "' is set by each stage and "
                        + "cannot be configured");
            }
            if (RegistrySettings.isRegistryKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is a registry property, not a Kafka client one");
            }
        }
    }

    /** Plaintext Kafka and an unauthenticated registry: the embedded stack, tests, the demo, benchmarks. */
    public static ConnectionSettings plaintext(String bootstrapServers, String registryUrl) {
        return new ConnectionSettings(bootstrapServers, Map.of(),
                registryUrl == null ? null : RegistrySettings.plaintext(registryUrl));
    }

    /**
     * Settings from the command line and an optional properties file, as Kafka's tools take
     * {@code --command-config}: Kafka client properties apply to every client; {@code schema.registry.*},
     * {@code basic.auth.*} and {@code bearer.auth.*} configure the registry client. A
     * {@code bootstrap.servers} or {@code schema.registry.url} in the file is used when the argument
     * is null.
     *
     * @param bootstrapServers the bootstrap servers given on the command line, or null
     * @param registryUrl      the registry URL given on the command line, or null
     * @param commandConfig    the properties file, or null
     * @throws IllegalArgumentException naming the file and the property when the file is missing,
     *                                  unreadable or inconsistent
     */
    public static ConnectionSettings load(String bootstrapServers, String registryUrl, Path commandConfig) {
        if (commandConfig == null) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("no bootstrap servers given");
            }
            return plaintext(bootstrapServers, blankToNull(registryUrl));
        }
        Properties file = read(commandConfig);
        Map<String, String> client = new HashMap<>();
        Map<String, String> registryProperties = new HashMap<>();
        String fileBootstrap = null;
        String fileRegistryUrl = null;
        for (String key : file.stringPropertyNames()) {
            String value = file.getProperty(key).trim();
            if (key.equals("bootstrap.servers")) {
                fileBootstrap = value;
            } else if (key.equals(RegistrySettings.URL)) {
                fileRegistryUrl = value;
            } else if (RegistrySettings.isRegistryKey(key)) {
                registryProperties.put(key, value);
            } else if (STAGE_OWNED.contains(key)) {
                throw new IllegalArgumentException(commandConfig + ": property '" + key + "' is set by each stage "
                        + "and cannot be configured in a command config");
            } else {
                client.put(key, value);
            }
        }
        String bootstrap = blankToNull(bootstrapServers) != null ? bootstrapServers : fileBootstrap;
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("no bootstrap servers given, and " + commandConfig
                    + " has no bootstrap.servers");
        }
        String url = blankToNull(registryUrl) != null ? registryUrl : blankToNull(fileRegistryUrl);
        try {
            RegistrySettings registry = url == null ? null : new RegistrySettings(url, registryProperties);
            return new ConnectionSettings(bootstrap, client, registry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(commandConfig + ": " + e.getMessage(), e);
        }
    }

    /** The registry; fails when the command was given no registry URL. */
    public RegistrySettings requireRegistry() {
        if (registry == null) {
            throw new IllegalStateException("no schema registry URL given (--registry-url, SLUICE_REGISTRY_URL "
                    + "or schema.registry.url in the command config)");
        }
        return registry;
    }

    /** These settings with another registry URL, keeping the registry properties. */
    public ConnectionSettings withRegistryUrl(String url) {
        Map<String, String> properties = registry == null ? Map.of() : registry.properties();
        return new ConnectionSettings(bootstrapServers, clientProperties, new RegistrySettings(url, properties));
    }

    /** Whether the client properties ask for TLS or SASL ({@code security.protocol} other than PLAINTEXT). */
    public boolean secured() {
        return !clientProperties.getOrDefault("security.protocol", "PLAINTEXT").equalsIgnoreCase("PLAINTEXT");
    }

    public Map<String, Object> producer() {
        return base();
    }

    /** For a consumer that assigns its partitions itself (no consumer group membership). */
    public Map<String, Object> consumer() {
        return base();
    }

    /**
     * For a consumer that subscribes as a member of a consumer group (sinks, fetcher, resolver):
     * {@link #consumer()} with Kafka 4's consumer group protocol (KIP-848, {@code group.protocol=consumer}),
     * unless the command config chose another. The broker assigns the partitions incrementally, so
     * members that stay keep processing through a rebalance, and a member that vanishes (SIGKILL)
     * loses its partitions after the broker's {@code group.consumer.session.timeout.ms}: a
     * broker-side setting (45 s by default) that the cluster's operator lowers for quick takeovers;
     * the embedded broker sets 6 s. With this protocol the client must not set
     * {@code session.timeout.ms}, {@code heartbeat.interval.ms} or {@code partition.assignment.strategy}.
     */
    public Map<String, Object> groupConsumer() {
        Map<String, Object> config = base();
        config.putIfAbsent(GROUP_PROTOCOL, "consumer");
        return config;
    }

    public Map<String, Object> admin() {
        return base();
    }

    /**
     * For a Streams application: unprefixed client properties apply to its producer, consumer and admin.
     * Streams keeps the classic group protocol (Kafka 4.3's Streams rebalance protocol, KIP-1071, takes
     * its standby count and session timeout from broker-side group configs instead of the application),
     * so the application sets a short session timeout itself: a killed instance's tasks move after
     * {@value #STREAMS_SESSION_TIMEOUT_MS} ms, not after the 45 s default. The broker's
     * {@code group.min.session.timeout.ms} (6 s by default) allows it. A command config that sets
     * {@code session.timeout.ms} or {@code heartbeat.interval.ms} keeps its values.
     */
    public Map<String, Object> streams() {
        Map<String, Object> config = base();
        if (!clientProperties.containsKey(SESSION_TIMEOUT) && !clientProperties.containsKey(CONSUMER_PREFIX + SESSION_TIMEOUT)) {
            config.put(CONSUMER_PREFIX + SESSION_TIMEOUT, STREAMS_SESSION_TIMEOUT_MS);
        }
        if (!clientProperties.containsKey(HEARTBEAT_INTERVAL) && !clientProperties.containsKey(CONSUMER_PREFIX + HEARTBEAT_INTERVAL)) {
            config.put(CONSUMER_PREFIX + HEARTBEAT_INTERVAL, STREAMS_HEARTBEAT_INTERVAL_MS);
        }
        return config;
    }

    /** The client properties as a Java properties file, for tools that take one ({@code StreamsResetter --config-file}). */
    public Properties clientPropertiesFile() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return properties;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[bootstrapServers=" + bootstrapServers + ", clientProperties="
                + Redaction.config(new TreeMap<>(clientProperties)) + ", registry=" + registry + "]";
    }

    private Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    private static String validateBootstrap(String servers) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be host:port[,host:port...], got nothing");
        }
        String trimmed = servers.trim();
        for (String server : trimmed.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            boolean ok = colon > 0 && colon < s.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(s.substring(colon + 1));
                    ok = port > 0 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("bootstrap servers must be host:port[,host:port...], got '"
                        + Redaction.text(servers) + "'");
            }
        }
        return trimmed;
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("command config " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read command config " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
