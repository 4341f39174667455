package io.sluice.common.client;

import io.sluice.common.redact.Redaction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pre-flight check a connecting command runs before it starts any stage: one Admin
 * {@code describeCluster} with a short timeout. Kafka clients retry a failed login or an unreachable
 * broker quietly and for a long time; this turns a wrong password, an untrusted certificate or a wrong
 * address into one error at start-up that names the bootstrap address, {@code security.protocol} and
 * {@code sasl.mechanism}, and never the password or the JAAS config.
 */
public final class ClusterCheck {

    /** Long enough for a TLS handshake and a SCRAM exchange on a loaded machine, short enough to fail fast. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private ClusterCheck() {
    }

    /** {@link #verify(ConnectionSettings, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void verify(ConnectionSettings settings) {
        verify(settings, DEFAULT_TIMEOUT);
    }

    /**
     * Returns when the cluster answered through {@code settings} within {@code timeout}.
     *
     * @throws ClusterCheckException saying what failed, where and with which protocol
     */
    public static void verify(ConnectionSettings settings, Duration timeout) {
        Objects.requireNonNull(settings, "settings");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        Map<String, Object> config = settings.admin();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-cluster-check");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        String where = where(settings);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            // e.g. a truststore that cannot be read or an unknown sasl.mechanism: the client never starts
            throw new ClusterCheckException("cannot create a Kafka client for " + where + ": " + reason(e), e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .clusterId().get(millis + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(where, e.getCause(), timeout);
        } catch (TimeoutException e) {
            throw unreachable(where, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterCheckException("interrupted while connecting to " + where, e);
        } finally {
            // do not wait for in-flight retries against a broker that never answered
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static ClusterCheckException failure(String where, Throwable cause, Duration timeout) {
        if (cause instanceof SaslAuthenticationException) {
            return new ClusterCheckException("cannot authenticate to " + where + ": " + saslReason(cause), cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new ClusterCheckException("TLS handshake with " + where + " failed: " + reason(cause)
                    + " (check ssl.truststore.* and, for mutual TLS, ssl.keystore.*)", cause);
        }
        if (cause instanceof AuthenticationException) {
            return new ClusterCheckException("cannot authenticate to " + where + ": " + reason(cause), cause);
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(where, timeout, cause);
        }
        return new ClusterCheckException("cannot connect to " + where + ": " + reason(cause), cause);
    }

    private static ClusterCheckException unreachable(String where, Duration timeout, Throwable cause) {
        return new ClusterCheckException("no answer from " + where + " within " + timeout.toSeconds()
                + " s: check the address and that the listener there speaks this security.protocol", cause);
    }

    /** Kafka's SCRAM/PLAIN failures all read "... invalid credentials ..."; say it plainly when so. */
    private static String saslReason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        return message.contains("invalid credentials") ? "invalid credentials" : reason(cause);
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : Redaction.text(message);
    }

    /** "host:port (security.protocol=…, sasl.mechanism=…)", the mechanism only where SASL is used. */
    static String where(ConnectionSettings settings) {
        Map<String, String> p = settings.clientProperties();
        String protocol = p.getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        StringBuilder out = new StringBuilder(settings.bootstrapServers())
                .append(" (security.protocol=").append(protocol);
        if (protocol.toUpperCase(Locale.ROOT).startsWith("SASL")) {
            out.append(", sasl.mechanism=").append(p.getOrDefault("sasl.mechanism", "GSSAPI"));
        }
        return out.append(')').toString();
    }
}
