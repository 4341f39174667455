package io.sluice.stack.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an {@link EmbeddedKafkaBroker} offers beside its plaintext listener: a {@code SASL_SSL}
 * listener with {@code SCRAM-SHA-512} for the given users and, optionally, an {@code SSL} listener that
 * requires a client certificate (mutual TLS). Inter-broker and controller traffic stay plaintext.
 *
 * @param tls         the broker's keystore and the truststore it checks client certificates against;
 *                    null for a plaintext-only broker
 * @param scramUsers  SCRAM-SHA-512 user name → password, created when the log dir is formatted
 * @param mutualTls   whether to add the {@code SSL} listener with {@code ssl.client.auth=required}
 */
public record BrokerOptions(BrokerTls tls, Map<String, String> scramUsers, boolean mutualTls) {

    // Kafka's --add-scram syntax is [name=…,password=…]: these characters would break it.
    private static final Pattern SCRAM_SAFE = Pattern.compile("[^,\\[\\]=\"\\s]+");

    public BrokerOptions {
        scramUsers = Map.copyOf(Objects.requireNonNull(scramUsers, "scramUsers"));
        if (tls == null && (!scramUsers.isEmpty() || mutualTls)) {
            throw new IllegalArgumentException("SCRAM users and mutual TLS need the broker's TLS stores (tls is null)");
        }
        scramUsers.forEach((user, password) -> {
            if (!SCRAM_SAFE.matcher(user).matches()) {
                throw new IllegalArgumentException("SCRAM user name '" + user + "' must not contain , [ ] = \" or spaces");
            }
            if (!SCRAM_SAFE.matcher(password).matches()) {
                throw new IllegalArgumentException("the password of SCRAM user '" + user
                        + "' must not contain , [ ] = \" or spaces");
            }
        });
    }

    /** Only the plaintext listener, as {@link EmbeddedKafkaBroker#start()}. */
    public static BrokerOptions plaintext() {
        return new BrokerOptions(null, Map.of(), false);
    }

    /** A {@code SASL_SSL} listener with {@code SCRAM-SHA-512} for {@code users} (name → password). */
    public static BrokerOptions saslSsl(BrokerTls tls, Map<String, String> users) {
        return new BrokerOptions(tls, users, false);
    }

    /** These options plus an {@code SSL} listener requiring a client certificate signed by the truststore's CA. */
    public BrokerOptions withMutualTls() {
        return new BrokerOptions(tls, scramUsers, true);
    }

    boolean saslSsl() {
        return tls != null;
    }

    /** Names the users, never their passwords. */
    @Override
    public String toString() {
        return "BrokerOptions[saslSsl=" + saslSsl() + ", scramUsers=" + scramUsers.keySet() + ", mutualTls=" + mutualTls + "]";
    }

    /**
     * The broker side of TLS: PKCS12 stores, one password for both stores and the key.
     *
     * @param keystore   the broker's key and certificate chain (SAN 127.0.0.1 and localhost)
     * @param truststore the CA that signs client certificates (for mutual TLS)
     * @param password   of both stores and of the key
     */
    public record BrokerTls(Path keystore, Path truststore, String password) {
        public BrokerTls {
            Objects.requireNonNull(password, "password");
            if (!Files.isReadable(Objects.requireNonNull(keystore, "keystore"))) {
                throw new IllegalArgumentException("broker keystore " + keystore + " is not readable");
            }
            if (!Files.isReadable(Objects.requireNonNull(truststore, "truststore"))) {
                throw new IllegalArgumentException("broker truststore " + truststore + " is not readable");
            }
        }

        @Override
        public String toString() {
            return "BrokerTls[keystore=" + keystore + ", truststore=" + truststore + "]";
        }
    }
}
