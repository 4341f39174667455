package io.sluice.dcb.api;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.sluice.backfill.publish.GrpcDidIntake;
import io.sluice.backfill.watch.GrpcStatusWatch;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.http.HttpAuth;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.schemas.topics.TopicNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC front of the DCB API, beside {@link DcbHttpServer} on the same store: serves
 * {@code sluice.v1.DcbService}, {@code sluice.v1.IntakeService} ({@link GrpcDidIntake}) and
 * {@code sluice.v1.BackfillService} ({@link GrpcStatusWatch}), gRPC health checking
 * ({@code grpc.health.v1.Health}, SERVING while it runs) and server reflection (so grpcurl needs no
 * .proto), on Netty, behind the HTTP API's
 * bearer token ({@link GrpcAuth}), over TLS when configured ({@link GrpcTls}). Calls run on virtual
 * threads, and so do the streams' own threads, so a subscriber waiting for events costs no platform thread.
 */
public final class DcbGrpcServer implements AutoCloseable {

    private final Server server;
    private final HealthStatusManager health;
    private final ExecutorService calls;
    private final ExecutorService workers;
    private final GrpcEventStreams streams;
    private final GrpcStatusWatch statusWatch;

    private DcbGrpcServer(Server server, HealthStatusManager health, ExecutorService calls, ExecutorService workers,
                          GrpcEventStreams streams, GrpcStatusWatch statusWatch) {
        this.server = server;
        this.health = health;
        this.calls = calls;
        this.workers = workers;
        this.streams = streams;
        this.statusWatch = statusWatch;
    }

    static DcbGrpcServer start(String host, GrpcConfig config, HttpAuth auth, ApiLimits limits, Appender appender,
                               ReadFence fence, EventReader reader, java.time.Duration readTimeout,
                               ConnectionSettings connection) {
        // first: a certificate that does not load fails the start before anything is started
        ServerCredentials credentials = config.tls().map(GrpcTls::credentials).orElseGet(InsecureServerCredentials::create);
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        GrpcEventStreams streams = new GrpcEventStreams(fence, reader, readTimeout, config, limits, workers);
        GrpcDcbService service = new GrpcDcbService(streams, new GrpcAppends(appender, limits), workers,
                config.maxInFlightPerStream());
        HealthStatusManager health = new HealthStatusManager();
        GrpcAuth guard = new GrpcAuth(auth);
        GrpcStatusWatch statusWatch = new GrpcStatusWatch(connection, TopicNames.BACKFILL_STATUS, workers);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, config.port()), credentials)
                .executor(calls)
                // the largest append body the HTTP API takes; a larger message is RESOURCE_EXHAUSTED
                .maxInboundMessageSize(limits.maxBodyBytes())
                .maxConcurrentCallsPerConnection(config.maxCallsPerConnection())
                .addService(ServerInterceptors.intercept(service, guard))
                // DID intake rides along: one gRPC port for what sluice takes in
                .addService(ServerInterceptors.intercept(new GrpcDidIntake(connection, workers), guard))
                // and the backfill's progress, for the runs it takes in
                .addService(ServerInterceptors.intercept(statusWatch, guard))
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), guard))
                .addService(health.getHealthService())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            calls.shutdownNow();
            workers.shutdownNow();
            throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + config.port(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(DcbServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return new DcbGrpcServer(server, health, calls, workers, streams, statusWatch);
    }

    public int port() {
        return server.getPort();
    }

    /** Events sent on Read and Subscribe streams since start (the tests watch a stopped reader with it). */
    public long eventsSent() {
        return streams.eventsSent();
    }

    /** Subscriptions open right now. */
    public int subscriptions() {
        return streams.subscriptions();
    }

    /** BackfillService.WatchStatus calls whose consumer is open right now. */
    public int statusWatches() {
        return statusWatch.openWatches();
    }

    /** Status changes sent on WatchStatus calls since start. */
    public long statusChangesSent() {
        return statusWatch.changesSent();
    }

    /**
     * Reports NOT_SERVING, stops accepting, gives running calls a second, then cancels what is left
     * (subscriptions never end by themselves), which ends the streams' threads.
     */
    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdownNow();
            calls.shutdownNow();
        }
    }
}
