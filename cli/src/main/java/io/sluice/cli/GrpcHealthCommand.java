package io.sluice.cli;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice grpc-health}: one gRPC health check ({@code grpc.health.v1.Health/Check}) of a
 * server, for container health checks: the sluice image has no grpc_health_probe and compose gives it
 * no network to fetch one, but it has this. Exit 0 when the server answers SERVING for the service;
 * 1 for any other answer or none (unreachable, timed out, unknown service), with one line on stderr
 * saying which, so {@code docker inspect}'s health log tells why.
 */
@Command(name = "grpc-health",
        description = {"Ask a gRPC server whether a service is SERVING (grpc.health.v1.Health/Check).",
                "Exit 0 if it is, 1 otherwise (another status, no answer, unknown service); for container health checks."})
final class GrpcHealthCommand implements Callable<Integer> {

    static final int NOT_SERVING = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The server's address. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", required = true, description = "The server's gRPC port.")
    int port;

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "",
            description = "The service to ask about, e.g. sluice.v1.DcbService. Default: the server as a whole (\"\").")
    String service;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS, trusting the certificates in this PEM file (for dcb-api with --grpc-tls-cert: "
                    + "that file, or its CA's). Default: plaintext.")
    Path tlsCa;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "How long to wait for the answer, connecting included. Default: ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        OptionValues.inRange(spec, "--port", port, 1, 65535);
        OptionValues.inRange(spec, "--timeout-ms", timeoutMs, 1, 600_000);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String what = host + ":" + port + " service \"" + service + "\"";
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials()).build();
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
            if (status == ServingStatus.SERVING) {
                out.println(what + ": SERVING");
                return 0;
            }
            err.println(what + ": " + status);
            return NOT_SERVING;
        } catch (StatusRuntimeException e) {
            // NOT_FOUND: the server does not know the service; UNAVAILABLE: nothing listens, or not gRPC
            err.println(what + ": no answer: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"));
            return NOT_SERVING;
        } finally {
            channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        }
    }

    private ChannelCredentials credentials() {
        if (tlsCa == null) return InsecureChannelCredentials.create();
        OptionValues.existingFile(spec, "--tls-ca", tlsCa);
        try {
            return TlsChannelCredentials.newBuilder().trustManager(tlsCa.toFile()).build();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--tls-ca " + tlsCa + ": " + e.getMessage(), e);
        }
    }
}
