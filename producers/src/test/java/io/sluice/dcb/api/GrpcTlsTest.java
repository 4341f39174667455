package io.sluice.dcb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS options' contract; a good certificate and key serve in DcbGrpcTlsIT. */
class GrpcTlsTest {

    @Test
    void neitherOptionIsPlaintext() {
        assertThat(GrpcTls.of(null, null)).isEmpty();
    }

    @Test
    void oneWithoutTheOtherIsRefusedNamingBoth() {
        assertThatThrownBy(() -> GrpcTls.of(Path.of("server.crt"), null))
                .hasMessageContaining("--grpc-tls-cert and --grpc-tls-key go together").hasMessageContaining("only --grpc-tls-cert");
        assertThatThrownBy(() -> GrpcTls.of(null, Path.of("server.key"))).hasMessageContaining("only --grpc-tls-key");
    }

    @Test
    void filesThatAreNotPemFailWhenLoadedNamingTheOptions(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("server.crt"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("server.key"), "not a key\n");
        assertThatThrownBy(() -> new GrpcTls(cert, key).credentials()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--grpc-tls-cert " + cert).hasMessageContaining("--grpc-tls-key " + key);
        assertThatThrownBy(() -> new GrpcTls(dir.resolve("missing.crt"), key).credentials())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
    }
}
