package io.sluice.stack.kafka;

import java.util.List;
import java.util.Properties;

/**
 * The broker settings for the secured listeners of {@link BrokerOptions}: a {@code SASL_SSL} listener
 * accepting SCRAM-SHA-512 and an {@code SSL} listener requiring a client certificate. The SCRAM users are
 * written when the log dir is formatted ({@code kafka-storage format --add-scram}), so they exist before
 * the first client connects.
 */
final class SecuredListeners {

    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private SecuredListeners() {
    }

    /** Adds listener {@code name} (its security protocol of the same name) on {@code port}; none for port 0. */
    static void addListener(Properties p, String name, int port) {
        if (port == 0) return;
        String address = name + "://127.0.0.1:" + port;
        p.put("listeners", p.getProperty("listeners") + "," + address);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + address);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + name + ":" + name);
    }

    static void configure(Properties p, BrokerOptions options) {
        if (!options.saslSsl()) return;
        BrokerOptions.BrokerTls tls = options.tls();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", tls.keystore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.truststore().toString());
        p.put("ssl.truststore.password", tls.password());
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        if (options.mutualTls()) {
            p.put("listener.name.ssl.ssl.client.auth", "required");
        }
    }

    /** {@code --add-scram} arguments for the storage tool, one per user. */
    static List<String> scramArguments(BrokerOptions options) {
        return options.scramUsers().entrySet().stream()
                .flatMap(user -> List.of("--add-scram",
                        SCRAM_MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]").stream())
                .toList();
    }
}
