package io.sluice.bench.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.DcbGrpcServer;
import io.sluice.dcb.api.DcbLoad;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.sinks.dcb.EventLogGuard.OnOtherLog;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;
import io.sluice.stack.TempDirs;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code sluice bench grpc}: the DCB store's gRPC front against its HTTP front, on one dcb-api
 * instance (decider, events sink, both servers) on the stack, in one run and database of its own:
 * conditional appends (HTTP clients, gRPC unary callers, ASYNC AppendStreams) at each count in
 * flight; one Read of many events (gRPC, then HTTP paged); idle subscriptions' heap; and the time an
 * appended event takes to reach every one of many subscribers (against one subscriber, the in-run
 * baseline: HTTP has no subscriptions). The database is dropped when done.
 */
public final class GrpcBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(3);

    private final StackEndpoints stack;
    private final GrpcBenchSettings settings;
    private final Consumer<String> progress;

    public GrpcBenchmark(StackEndpoints stack, GrpcBenchSettings settings, Consumer<String> progress) {
        this.stack = stack;
        this.settings = settings;
        this.progress = progress;
    }

    public GrpcBenchReport run() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PostgresEndpoint server = stack.postgres();
        PostgresEndpoint pg = server.withDatabase("sluice_bench_grpc_" + run);
        DcbApiConfig api = DcbApiConfig.defaults(0, stack.connection(), pg.jdbcUrl(), pg.user(), pg.password())
                .withGrpc(GrpcConfig.defaults(0));
        Path stateDir = TempDirs.create("sluice-bench-grpc-");
        database(server, "CREATE DATABASE " + pg.database());
        try {
            DcbServiceConfig config = DcbServiceConfig.defaults(api).withSuffix("bench-grpc-" + run).withStateDir(stateDir)
                    .withOnOtherLog(OnOtherLog.RESET);
            try (DcbService service = DcbService.start(config, progress)) {
                return measure(service, api, run);
            }
        } finally {
            database(server, "DROP DATABASE IF EXISTS " + pg.database() + " WITH (FORCE)");
            TempDirs.deleteRecursively(stateDir);
        }
    }

    private GrpcBenchReport measure(DcbService service, DcbApiConfig api, String run) throws Exception {
        URI http = service.api().baseUri();
        DcbGrpcServer grpc = service.api().grpc().orElseThrow();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        try {
            progress.accept("warming up: HTTP and gRPC appends, " + WARM_UP.toSeconds() + " s each");
            DcbLoad.appends(http, run + "-warm-http", 8, WARM_UP);
            GrpcAppendLoad.unary(channel, run + "-warm-unary", 8, WARM_UP);
            GrpcAppendLoad.stream(channel, run + "-warm-stream", 1, 8, WARM_UP);

            List<GrpcBenchReport.AppendPoint> appends = new ArrayList<>();
            for (int n : settings.clients()) appends.add(appendPoint(http, channel, run, n));
            DcbLoad.Result oneStream = appends.stream().filter(p -> p.inFlight() == GrpcBenchSettings.IN_FLIGHT_PER_STREAM)
                    .findFirst().map(GrpcBenchReport.AppendPoint::stream).orElse(null);
            DcbLoad.Result httpAt64 = appends.stream().filter(p -> p.inFlight() == GrpcBenchSettings.IN_FLIGHT_PER_STREAM)
                    .findFirst().map(GrpcBenchReport.AppendPoint::http).orElse(null);
            if (oneStream == null) {
                int n = GrpcBenchSettings.IN_FLIGHT_PER_STREAM;
                progress.accept("appends: 1 AppendStream ASYNC with " + n + " in flight, and HTTP at " + n + " clients");
                oneStream = GrpcAppendLoad.stream(channel, run + "-s1x64", 1, n, settings.each());
                httpAt64 = DcbLoad.appends(http, run + "-h64", n, settings.each());
            }

            Map<Integer, Double> heapEach = new LinkedHashMap<>();
            for (int n : settings.subscribers()) {
                progress.accept("subscriptions: " + n + " idle");
                try (SubscriberFanOut fanOut = new SubscriberFanOut(grpc.port(), "idle:" + run + "-" + n, grpc::subscriptions)) {
                    heapEach.put(n, fanOut.idleHeapBytesEach(n));
                }
            }
            SubscriberFanOut.Delivery one = delivery(grpc, run, 1);
            SubscriberFanOut.Delivery many = delivery(grpc, run, settings.deliverySubscribers());

            progress.accept("read: seeding " + settings.readEvents() + " events with COPY into " + api.schema() + ".events");
            long seedStarted = System.nanoTime();
            long after = ReadThroughput.seed(api.jdbcUrl(), api.dbUser(), api.dbPassword(), api.schema() + ".events",
                    "read:" + run, settings.readEvents());
            double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
            progress.accept("read: one gRPC Read of " + settings.readEvents() + " events");
            ReadThroughput.Result grpcRead = ReadThroughput.grpc(grpc.port(), after);
            progress.accept("read: HTTP GET /read of the same events, pages of " + api.limits().readMaxLimit());
            ReadThroughput.Result httpRead = ReadThroughput.http(http, after, api.limits().readMaxLimit());
            return new GrpcBenchReport(appends, oneStream, httpAt64, grpcRead, httpRead, seedSeconds, heapEach, one, many);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private GrpcBenchReport.AppendPoint appendPoint(URI http, ManagedChannel channel, String run, int n)
            throws InterruptedException {
        int perStream = GrpcBenchSettings.IN_FLIGHT_PER_STREAM;
        int streams = (n + perStream - 1) / perStream;
        long seconds = settings.each().toSeconds();
        progress.accept("appends: " + n + " in flight, HTTP, gRPC unary, AppendStream ASYNC (" + streams + " x "
                + (n / streams) + "), " + seconds + " s each");
        DcbLoad.Result h = DcbLoad.appends(http, run + "-h" + n, n, settings.each());
        DcbLoad.Result u = GrpcAppendLoad.unary(channel, run + "-u" + n, n, settings.each());
        DcbLoad.Result s = GrpcAppendLoad.stream(channel, run + "-s" + n, streams, n / streams, settings.each());
        return new GrpcBenchReport.AppendPoint(n, streams, h, u, s);
    }

    private SubscriberFanOut.Delivery delivery(DcbGrpcServer grpc, String run, int n) throws Exception {
        progress.accept("delivery: " + settings.deliveries() + " events to " + n + " subscriber(s)");
        try (SubscriberFanOut fanOut = new SubscriberFanOut(grpc.port(), "live:" + run + "-" + n, grpc::subscriptions)) {
            return fanOut.delivery(n, settings.deliveries());
        }
    }

    private static void database(PostgresEndpoint server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
