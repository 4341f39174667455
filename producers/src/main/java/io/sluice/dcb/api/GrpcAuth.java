package io.sluice.dcb.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.sluice.common.http.HttpAuth;

/**
 * The HTTP API's bearer token on the gRPC listener: with a token set, every call must carry the
 * metadata {@code authorization: Bearer <token>}, else it is closed UNAUTHENTICATED before it
 * reaches a service. Health checks are exempt, like {@code /metrics}: probes often have no token.
 */
final class GrpcAuth implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final HttpAuth auth;

    GrpcAuth(HttpAuth auth) {
        this.auth = auth;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!auth.enabled() || HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
                || auth.accepts(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription("this API needs the metadata 'authorization: Bearer <token>'"),
                new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
