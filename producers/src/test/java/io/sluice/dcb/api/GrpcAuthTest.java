package io.sluice.dcb.api;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import io.sluice.common.http.HttpAuth;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.DcbServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP API's bearer token on gRPC: a call without it never reaches the service; health checks need none. */
class GrpcAuthTest {

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        // no method implemented: a call that gets past the token is UNIMPLEMENTED
        DcbServiceGrpc.DcbServiceImplBase unimplemented = new DcbServiceGrpc.DcbServiceImplBase() { };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(unimplemented, new GrpcAuth(new HttpAuth(Optional.of("s3cret"), false))))
                .addService(health.getHealthService())
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallWithoutTheTokenOrWithAnotherIsUnauthenticated() {
        assertThat(codeOf(DcbServiceGrpc.newBlockingStub(channel))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(withAuthorization("Bearer wrong"))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(withAuthorization("s3cret"))).as("not a bearer token").isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aCallWithTheTokenReachesTheService() {
        assertThat(codeOf(withAuthorization("Bearer s3cret"))).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void healthChecksNeedNoToken() {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    private DcbServiceGrpc.DcbServiceBlockingStub withAuthorization(String value) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value);
        return DcbServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Status.Code codeOf(DcbServiceGrpc.DcbServiceBlockingStub stub) {
        try {
            stub.append(AppendRequest.getDefaultInstance());
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
