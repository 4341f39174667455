package io.sluice.dcb.service.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.dcb.api.DcbGrpcServer;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.testing.TestStack;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The DCB store on the test stack with its gRPC listener on a free port, and a plaintext channel to it:
 * what every gRPC test starts from, whichever client it then speaks through. The channel's small
 * window (64 KiB) makes a client that stops reading stop the server after little data.
 */
public final class GrpcStore implements AutoCloseable {

    private final DcbService service;
    private final ManagedChannel channel;

    private GrpcStore(DcbService service, ManagedChannel channel) {
        this.service = service;
        this.channel = channel;
    }

    public static GrpcStore start(TestStack stack, Path stateDir, GrpcConfig grpc) throws InterruptedException {
        DcbServiceConfig config = TestServices.config(stack, stateDir);
        DcbService service = DcbService.start(config.withApi(config.api().withGrpc(grpc)), line -> { });
        int port = service.api().grpc().orElseThrow().port();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        return new GrpcStore(service, channel);
    }

    public DcbGrpcServer grpc() {
        return service.api().grpc().orElseThrow();
    }

    /** {@code 127.0.0.1:<port>}, for clients outside this JVM. */
    public String target() {
        return "127.0.0.1:" + grpc().port();
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            service.close();
        }
    }
}
