package io.sluice.dcb.api;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.http.HttpAuth;
import io.sluice.common.redact.Redaction;
import io.sluice.schemas.topics.TopicNames;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the DCB HTTP API, validated once when built. Immutable; change a setting with a
 * {@code with...} method.
 *
 * @param host             address the HTTP server binds to
 * @param port             HTTP port; 0: any free port ({@link DcbApi#port()} tells which)
 * @param connection       Kafka and schema registry
 * @param commandsTopic    where appends go (AppendCommand, key {@code "dcb"})
 * @param eventsTopic      the log (one partition), read once at start for the read fence
 * @param resultsTopic     the decider's answers (AppendResult keyed by request id)
 * @param jdbcUrl          PostgreSQL holding the events sink's {@code events} table, without credentials
 * @param dbUser           PostgreSQL role, empty for the driver's default
 * @param dbPassword       its password, empty for trust auth
 * @param schema           schema of the {@code events} table
 * @param notifyChannel    the LISTEN/NOTIFY channel the events sink announces committed positions on;
 *                         notifications are per database, so each schema's store needs its own
 *                         ({@link #channelFor})
 * @param readPoolSize     PostgreSQL connections serving reads
 * @param producerLinger   how long the command producer waits to fill a batch: a little batching
 *                         under load, a little latency alone
 * @param appendTimeout    how long an append waits for the decider's answer before a 503 (the
 *                         append may still happen: retry with the same Idempotency-Key)
 * @param readTimeout      how long a read waits for the events sink to reach the read fence before a 503
 * @param auth             bearer-token authentication of every request ({@link HttpAuth#none()}: none)
 * @param limits           what one request may ask ({@link ApiLimits}); the body limit plus the
 *                         command envelope must fit the producer's {@code max.request.size} when
 *                         the connection's client properties set one
 * @param grpc             the gRPC listener beside HTTP, on the same host ({@link GrpcConfig}); empty: none
 */
public record DcbApiConfig(
        String host,
        int port,
        ConnectionSettings connection,
        String commandsTopic,
        String eventsTopic,
        String resultsTopic,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String schema,
        String notifyChannel,
        int readPoolSize,
        Duration producerLinger,
        Duration appendTimeout,
        Duration readTimeout,
        HttpAuth auth,
        ApiLimits limits,
        Optional<GrpcConfig> grpc) {

    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public DcbApiConfig {
        requireText(host, "host");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        Objects.requireNonNull(connection, "connection").requireRegistry();
        requireMatch(commandsTopic, TOPIC, "commandsTopic");
        requireMatch(eventsTopic, TOPIC, "eventsTopic");
        requireMatch(resultsTopic, TOPIC, "resultsTopic");
        if (commandsTopic.equals(eventsTopic) || commandsTopic.equals(resultsTopic) || eventsTopic.equals(resultsTopic)) {
            throw new IllegalArgumentException("the commands, events and results topics must differ, got "
                    + List.of(commandsTopic, eventsTopic, resultsTopic));
        }
        requireText(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be a PostgreSQL JDBC URL, got " + Redaction.url(jdbcUrl));
        }
        dbUser = dbUser == null ? "" : dbUser;
        dbPassword = dbPassword == null ? "" : dbPassword;
        requireMatch(schema, IDENTIFIER, "schema");
        requireMatch(notifyChannel, IDENTIFIER, "notifyChannel");
        if (readPoolSize < 1 || readPoolSize > 64) {
            throw new IllegalArgumentException("readPoolSize must be 1..64, got " + readPoolSize);
        }
        requireBetween(producerLinger, Duration.ZERO, Duration.ofSeconds(1), "producerLinger");
        requireBetween(appendTimeout, Duration.ofMillis(1), Duration.ofMinutes(10), "appendTimeout");
        requireBetween(readTimeout, Duration.ofMillis(1), Duration.ofMinutes(10), "readTimeout");
        Objects.requireNonNull(auth, "auth (use HttpAuth.none())");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(grpc, "grpc (use Optional.empty())");
        configuredMaxRequestSize(connection).ifPresent(size -> {
            if (limits.producerMaxRequestSize() > size) {
                throw new IllegalArgumentException(ApiLimits.BODY_OPTION + " " + limits.maxBodyBytes() + " plus "
                        + ApiLimits.COMMAND_ENVELOPE_BYTES + " bytes for the command's envelope does not fit the producer's "
                        + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " " + size + " (from the client properties): lower "
                        + ApiLimits.BODY_OPTION + " to at most " + (size - ApiLimits.COMMAND_ENVELOPE_BYTES) + " or raise "
                        + ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
            }
        });
    }

    /**
     * The command producer's {@code max.request.size}: the client properties' when they set one
     * (checked above to take every body), else just enough for the largest body and its envelope.
     */
    public int producerMaxRequestSize() {
        return configuredMaxRequestSize(connection).orElse(limits.producerMaxRequestSize());
    }

    private static Optional<Integer> configuredMaxRequestSize(ConnectionSettings connection) {
        Object value = connection.producer().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (value == null) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(value.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " must be a whole number, got '"
                    + value + "'", e);
        }
    }

    /**
     * The defaults for the given services: the standard topics, schema {@code public}, 8 read
     * connections, 1 ms linger, 30 s for an append's answer, 10 s for a read's fence.
     */
    public static DcbApiConfig defaults(int port, ConnectionSettings connection, String jdbcUrl, String dbUser,
                                        String dbPassword) {
        return new DcbApiConfig(DEFAULT_HOST, port, connection, TopicNames.DCB_COMMANDS,
                TopicNames.DCB_EVENTS, TopicNames.DCB_RESULTS, jdbcUrl, dbUser, dbPassword, "public", channelFor("public"), 8,
                Duration.ofMillis(1), Duration.ofSeconds(30), Duration.ofSeconds(10), HttpAuth.none(), ApiLimits.defaults(), Optional.empty());
    }

    public DcbApiConfig withHost(String bindHost) {
        return new DcbApiConfig(bindHost, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, auth, limits, grpc);
    }

    public DcbApiConfig withTopics(String commands, String events, String results) {
        return new DcbApiConfig(host, port, connection, commands, events, results, jdbcUrl, dbUser,
                dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, auth, limits, grpc);
    }

    public DcbApiConfig withTimeouts(Duration append, Duration read) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, append, read, auth, limits, grpc);
    }

    /** The same store in another schema, with that schema's notification channel. */
    public DcbApiConfig withSchema(String otherSchema) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, otherSchema, channelFor(otherSchema), readPoolSize, producerLinger, appendTimeout,
                readTimeout, auth, limits, grpc);
    }

    /**
     * {@code dcb_events_<schema>}: the channel of the events sink writing {@code <schema>.events}, so
     * stores in two schemas of one database never take each other's positions for their own.
     */
    public static String channelFor(String schema) {
        return "dcb_events_" + schema;
    }

    public DcbApiConfig withPort(int otherPort) {
        return new DcbApiConfig(host, otherPort, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, auth, limits, grpc);
    }

    /** Requests need {@code auth}'s bearer token. */
    public DcbApiConfig withAuth(HttpAuth other) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, other, limits, grpc);
    }

    public DcbApiConfig withLimits(ApiLimits other) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, auth,
                other, grpc);
    }

    /** Serves gRPC too ({@code sluice.v1.DcbService}), as {@code grpc} says. */
    public DcbApiConfig withGrpc(GrpcConfig other) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, readPoolSize, producerLinger, appendTimeout, readTimeout, auth, limits,
                Optional.of(other));
    }

    public DcbApiConfig withReadPoolSize(int size) {
        return new DcbApiConfig(host, port, connection, commandsTopic, eventsTopic, resultsTopic,
                jdbcUrl, dbUser, dbPassword, schema, notifyChannel, size, producerLinger, appendTimeout, readTimeout, auth, limits, grpc);
    }

    @Override
    public String toString() {
        // Never print the password (it ends up in logs).
        return "DcbApiConfig[" + host + ":" + port + ", connection=" + connection
                + ", topics=" + List.of(commandsTopic, eventsTopic, resultsTopic) + ", jdbcUrl=" + Redaction.url(jdbcUrl) + ", dbUser="
                + dbUser + ", schema=" + schema + ", notifyChannel=" + notifyChannel + ", readPoolSize=" + readPoolSize
                + ", producerLinger=" + producerLinger + ", appendTimeout=" + appendTimeout + ", readTimeout=" + readTimeout
                + ", auth=" + auth + ", limits=" + limits + ", grpc=" + grpc.map(GrpcConfig::toString).orElse("off") + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }

    private static String requireMatch(String value, Pattern pattern, String name) {
        requireText(value, name);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must match " + pattern + ", got '" + value + "'");
        }
        return value;
    }

    private static void requireBetween(Duration value, Duration min, Duration max, String name) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
