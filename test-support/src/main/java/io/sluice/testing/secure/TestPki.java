package io.sluice.testing.secure;

import io.sluice.stack.kafka.BrokerOptions.BrokerTls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PKI generated in the test, nothing committed: a CA, a broker certificate for 127.0.0.1 and
 * localhost (subject alternative names, so clients verify the host as they do in production) and a client
 * certificate for mutual TLS, both signed by the CA, in PKCS12 stores sharing one password. The keys come
 * from the JDK's own {@code keytool} ({@code -genkeypair -signer}); the stores are then split with the
 * {@link KeyStore} API so each holds only what its owner should.
 */
public final class TestPki {

    private static final String CA = "ca";
    private static final String BROKER = "broker";
    private static final String CLIENT = "client";

    private final Path truststore;
    private final Path brokerKeystore;
    private final Path clientKeystore;
    private final String password;

    private TestPki(Path truststore, Path brokerKeystore, Path clientKeystore, String password) {
        this.truststore = truststore;
        this.brokerKeystore = brokerKeystore;
        this.clientKeystore = clientKeystore;
        this.password = password;
    }

    /** Generates the CA, the broker's and the client's keys into {@code dir} (a test's temp dir). */
    public static TestPki generate(Path dir) {
        String password = "pki-" + Long.toHexString(System.nanoTime());
        Path all = dir.resolve("pki-all.p12");
        keytool(all, password, "-genkeypair", "-alias", CA, "-dname", "CN=sluice test CA", "-ext", "bc:c");
        keytool(all, password, "-genkeypair", "-alias", BROKER, "-dname", "CN=localhost", "-signer", CA,
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost");
        keytool(all, password, "-genkeypair", "-alias", CLIENT, "-dname", "CN=sluice-client", "-signer", CA);
        try {
            KeyStore source = load(all, password);
            Path truststore = dir.resolve("truststore.p12");
            Path broker = dir.resolve("broker.p12");
            Path client = dir.resolve("client.p12");
            KeyStore trust = empty();
            trust.setCertificateEntry(CA, source.getCertificate(CA));
            store(trust, truststore, password);
            store(keyOnly(source, BROKER, password), broker, password);
            store(keyOnly(source, CLIENT, password), client, password);
            Files.delete(all); // the CA's key is not needed again
            return new TestPki(truststore, broker, client, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot split the test PKI's keystore", e);
        }
    }

    /** Holds the CA certificate; clients and the broker (for client certificates) trust it. */
    public Path truststore() {
        return truststore;
    }

    public Path brokerKeystore() {
        return brokerKeystore;
    }

    /** The client's key and certificate for mutual TLS. */
    public Path clientKeystore() {
        return clientKeystore;
    }

    /** The password of every store and key. */
    public String password() {
        return password;
    }

    /** The broker's side, for {@link io.sluice.stack.kafka.BrokerOptions}. */
    public BrokerTls brokerTls() {
        return new BrokerTls(brokerKeystore, truststore, password);
    }

    private static KeyStore keyOnly(KeyStore source, String alias, String password) throws GeneralSecurityException,
            IOException {
        KeyStore ks = empty();
        Certificate[] chain = source.getCertificateChain(alias);
        ks.setKeyEntry(alias, (PrivateKey) source.getKey(alias, password.toCharArray()), password.toCharArray(), chain);
        return ks;
    }

    private static KeyStore empty() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static KeyStore load(Path path, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static void store(KeyStore ks, Path path, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            ks.store(out, password.toCharArray());
        }
    }

    /** Runs {@code $java.home/bin/keytool} on {@code keystore}; EC P-256 keys valid for two days. */
    private static void keytool(Path keystore, String password, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " " + args[2] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
