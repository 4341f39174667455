package io.sluice.cli;

import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice grpc-health} against running gRPC servers with grpc-java's health service, as dcb-api serves it. */
class GrpcHealthCommandTest {

    private static Server server;
    private static HealthStatusManager health;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws IOException {
        health = new HealthStatusManager();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health.getHealthService()).build().start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("sluice.v1.DcbService", ServingStatus.SERVING);
        health.setStatus("sluice.v1.Draining", ServingStatus.NOT_SERVING);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aServingServiceExitsZero() {
        assertThat(run("grpc-health", "--port", port(), "--service", "sluice.v1.DcbService")).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("127.0.0.1:" + port() + " service \"sluice.v1.DcbService\": SERVING");
        assertThat(run("grpc-health", "--host", "127.0.0.1", "--port", port())).as("the server as a whole").isZero();
    }

    @Test
    void aServiceThatIsNotServingExitsOneSayingItsStatus() {
        assertThat(run("grpc-health", "--port", port(), "--service", "sluice.v1.Draining")).isEqualTo(GrpcHealthCommand.NOT_SERVING);
        assertThat(err.toString()).contains("service \"sluice.v1.Draining\": NOT_SERVING");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownServiceExitsOne() {
        assertThat(run("grpc-health", "--port", port(), "--service", "no.such.Service")).isEqualTo(GrpcHealthCommand.NOT_SERVING);
        assertThat(err.toString()).contains("no answer: NOT_FOUND");
    }

    @Test
    void nothingListeningExitsOneWithinTheTimeout() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        long started = System.nanoTime();
        assertThat(run("grpc-health", "--port", Integer.toString(closed), "--timeout-ms", "2000"))
                .isEqualTo(GrpcHealthCommand.NOT_SERVING);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertThat(err.toString()).containsPattern("no answer: (UNAVAILABLE|DEADLINE_EXCEEDED)");
    }

    @Test
    void overTlsItTrustsWhatTlsCaNamesAndPlaintextGetsNoAnswer(@TempDir Path dir) throws IOException, InterruptedException {
        // dcb-api's committed test certificate (pipelines' test resources): CN=localhost, SAN localhost and 127.0.0.1
        Path cert = copy("localhost.crt", dir);
        Server tls = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(cert.toFile(), copy("localhost.key", dir).toFile()))
                .addService(health.getHealthService()).build().start();
        try {
            String port = Integer.toString(tls.getPort());
            assertThat(run("grpc-health", "--port", port, "--tls-ca", cert.toString())).as("stderr: %s", err).isZero();
            assertThat(run("grpc-health", "--port", port, "--timeout-ms", "3000")).isEqualTo(GrpcHealthCommand.NOT_SERVING);
            assertThat(err.toString()).contains("no answer: UNAVAILABLE");
        } finally {
            tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingOrBadPortIsAUsageError() {
        assertThat(run("grpc-health")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--port");
        assertThat(run("grpc-health", "--port", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--port must be 1..65535, got 0");
    }

    private static Path copy(String name, Path dir) throws IOException {
        try (InputStream in = GrpcHealthCommandTest.class.getResourceAsStream("/io/sluice/dcb/service/grpc-tls/" + name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    private static String port() {
        return Integer.toString(server.getPort());
    }

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }
}
