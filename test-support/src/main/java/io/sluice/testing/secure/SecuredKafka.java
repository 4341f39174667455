package io.sluice.testing.secure;

import io.sluice.stack.kafka.BrokerOptions;
import io.sluice.stack.kafka.EmbeddedKafkaBroker;
import io.sluice.stack.TempDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A Kafka broker that wants TLS and SASL, as a managed cluster does: the embedded broker with a
 * {@code SASL_SSL} listener (SCRAM-SHA-512, user {@link #USER}) and a mutual-TLS {@code SSL} listener,
 * its certificates from a {@link TestPki} generated at start. Its plaintext listener exists only for the
 * broker itself; tests hand clients {@link #bootstrapServers()}, the secured address, alone.
 */
public final class SecuredKafka implements AutoCloseable {

    public static final String USER = "sluice-it";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final Path dir;
    private final TestPki pki;
    private final String password;
    private final EmbeddedKafkaBroker broker;

    private SecuredKafka(Path dir, TestPki pki, String password, EmbeddedKafkaBroker broker) {
        this.dir = dir;
        this.pki = pki;
        this.password = password;
        this.broker = broker;
    }

    public static SecuredKafka start() {
        Path dir = TempDirs.create("sluice-secured-kafka-");
        try {
            TestPki pki = TestPki.generate(dir);
            String password = "scram-" + UUID.randomUUID();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                    BrokerOptions.saslSsl(pki.brokerTls(), Map.of(USER, password)).withMutualTls());
            return new SecuredKafka(dir, pki, password, broker);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
    }

    /** The {@code SASL_SSL} listener: the only address a secured test gives its clients. */
    public String bootstrapServers() {
        return broker.saslSslBootstrapServers();
    }

    /** The {@code SSL} listener that requires a client certificate. */
    public String mutualTlsBootstrapServers() {
        return broker.sslBootstrapServers();
    }

    public TestPki pki() {
        return pki;
    }

    /** The right SCRAM password of {@link #USER}. */
    public String password() {
        return password;
    }

    /** Kafka client properties for the {@code SASL_SSL} listener as {@link #USER} with {@code password}. */
    public Map<String, String> saslSslProperties(String password) {
        Map<String, String> p = trust();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        return p;
    }

    /** Kafka client properties for the mutual-TLS listener with the test client's certificate. */
    public Map<String, String> mutualTlsProperties() {
        Map<String, String> p = trust();
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", pki.clientKeystore().toString());
        p.put("ssl.keystore.password", pki.password());
        return p;
    }

    /** Writes {@code properties} as a {@code --command-config} file at {@code file}. */
    public static Path writeCommandConfig(Path file, Map<String, String> properties) {
        Properties p = new Properties();
        p.putAll(new LinkedHashMap<>(properties));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "sluice secured-cluster test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private Map<String, String> trust() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", pki.truststore().toString());
        p.put("ssl.truststore.password", pki.password());
        return p;
    }
}
