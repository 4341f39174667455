package io.sluice.dcb.api;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on the gRPC listener: the server's certificate chain and its private key, PEM files (the key
 * PKCS#8, {@code BEGIN PRIVATE KEY}, as {@code openssl req -newkey} writes it). Plaintext without it.
 */
public record GrpcTls(Path certChain, Path privateKey) {

    public static final String CERT_OPTION = "--grpc-tls-cert";
    public static final String KEY_OPTION = "--grpc-tls-key";

    public GrpcTls {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** From the two options: both or neither, since a certificate is no use without its key and back. */
    public static Optional<GrpcTls> of(Path certChain, Path privateKey) {
        if (certChain == null && privateKey == null) return Optional.empty();
        if (certChain == null || privateKey == null) {
            throw new IllegalArgumentException(CERT_OPTION + " and " + KEY_OPTION + " go together: give both or neither (got only "
                    + (certChain == null ? KEY_OPTION : CERT_OPTION) + ")");
        }
        return Optional.of(new GrpcTls(certChain, privateKey));
    }

    /**
     * The server's credentials, read from the files now and checked by building the TLS context
     * Netty will build, so that a wrong file fails at start, naming itself, not at the first handshake.
     *
     * @throws IllegalArgumentException a file that cannot be read, or is not a PEM certificate chain and private key
     */
    public ServerCredentials credentials() {
        ServerCredentials credentials;
        try {
            credentials = TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + CERT_OPTION + " " + certChain + " or " + KEY_OPTION + " "
                    + privateKey + ": " + e, e);
        }
        try {
            GrpcSslContexts.forServer(certChain.toFile(), privateKey.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(CERT_OPTION + " " + certChain + " and " + KEY_OPTION + " " + privateKey
                    + " are not a PEM certificate chain and its PKCS#8 private key: " + e.getMessage(), e);
        }
        return credentials;
    }
}
