package io.sluice.dcb.service;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.api.GrpcTls;
import io.sluice.dcb.service.testing.GrpcStore;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.NewEvent;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * dcb-api's gRPC listener with TLS ({@code --grpc-tls-cert}, {@code --grpc-tls-key}), against the real
 * stack: a client that trusts the server's certificate reads and appends; a plaintext client and a TLS
 * client that does not trust it get nothing. The certificate is a committed self-signed one for
 * CN=localhost, SAN localhost and 127.0.0.1, valid until 2126 ({@code grpc-tls/} beside this class).
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcbGrpcTlsIT {

    private static Path cert;
    private static GrpcStore store;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws Exception {
        cert = resource("grpc-tls/localhost.crt");
        GrpcTls tls = new GrpcTls(cert, resource("grpc-tls/localhost.key"));
        store = GrpcStore.start(stack, stateDir, GrpcConfig.defaults(0).withTls(Optional.of(tls)));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (store != null) store.close();
    }

    @Test
    void aClientThatTrustsTheCertificateAppendsAndReadsOverTls() throws Exception {
        ManagedChannel channel = channel("127.0.0.1", TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build());
        try {
            String tag = "tls:" + UUID.randomUUID();
            DcbServiceGrpc.DcbServiceBlockingStub dcb = DcbServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            long first = dcb.append(AppendRequest.newBuilder().addEvents(NewEvent.newBuilder().setType("Tls").addTags(tag)
                    .setData("secret")).build()).getFirstPosition();
            List<String> read = new ArrayList<>();
            dcb.read(ReadRequest.newBuilder().setQuery(byTag(tag)).build())
                    .forEachRemaining(r -> r.getEventsList().forEach(e -> read.add(e.getPosition() + ":" + e.getData())));
            assertThat(read).containsExactly(first + ":secret");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlaintextClientIsRefused() throws InterruptedException {
        assertRefused(channel("127.0.0.1", InsecureChannelCredentials.create()));
    }

    @Test
    void aTlsClientThatDoesNotTrustTheCertificateIsRefused() throws InterruptedException {
        // the JDK's default trust store: a self-signed certificate is in no public CA's chain
        assertRefused(channel("localhost", TlsChannelCredentials.create()));
    }

    private static void assertRefused(ManagedChannel channel) throws InterruptedException {
        try {
            assertThatThrownBy(() -> DcbServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .read(ReadRequest.newBuilder().setQuery(byTag("tls:nobody")).build()).hasNext())
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static ManagedChannel channel(String host, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress(host, store.grpc().port(), credentials).build();
    }

    private static Query byTag(String tag) {
        return Query.newBuilder().addItems(QueryItem.newBuilder().addTags(tag)).build();
    }

    private static Path resource(String name) throws URISyntaxException, IOException {
        var url = DcbGrpcTlsIT.class.getResource(name);
        if (url == null) throw new IOException("no test resource " + name + " beside " + DcbGrpcTlsIT.class.getName());
        return Path.of(url.toURI());
    }
}
