package io.sluice.cli;

import io.sluice.common.http.HttpAuth;
import io.sluice.common.lifecycle.Closer;
import io.sluice.dcb.api.ApiLimits;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.api.GrpcTls;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.sinks.dcb.EventLogGuard.OnOtherLog;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackConfig;
import io.sluice.stack.TempDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice dcb-api}: runs the DCB event store behind the dcb.events benchmark suite's HTTP
 * contract ({@code GET /read}, {@code POST /append}) until Ctrl-C or SIGTERM: the stack (Kafka,
 * registry, PostgreSQL, each replaced by the service the connection options name, with the TLS, SASL and
 * registry auth of {@code --command-config}; a given cluster is checked first), then the
 * topics, the decider, the events sink and the HTTP server, which is ready when {@code GET /read}
 * answers. Closes them in reverse order and exits 0. The URL goes to stdout, progress to stderr.
 *
 * <p>With the embedded broker the log is new on every run, so the decider's state lives in a
 * temporary directory and PostgreSQL's copy of an earlier run's log is replaced; with an external
 * broker an events table holding another log's events stops the start instead.
 */
@Command(name = "dcb-api",
        description = {
                "Run the DCB event store (GET /read, POST /append) until Ctrl-C.",
                "Starts what it needs (Kafka, registry, PostgreSQL, decider, events sink); the connection "
                        + "options point it at existing services instead."})
final class DcbApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = GrpcConfig.PORT_OPTION, paramLabel = "PORT",
            description = "Also serve the gRPC API (sluice.v1.DcbService, health checking, reflection) on this port, "
                    + "on the same address and with the same token and limits as HTTP (0: any free port). "
                    + "Default: no gRPC listener.")
    Integer grpcPort;

    @Option(names = GrpcTls.CERT_OPTION, paramLabel = "FILE",
            description = "Serve gRPC over TLS with this certificate chain (PEM), with " + GrpcTls.KEY_OPTION + ". "
                    + "Default: plaintext.")
    Path grpcTlsCert;

    @Option(names = GrpcTls.KEY_OPTION, paramLabel = "FILE",
            description = "The private key (PEM, PKCS#8) of " + GrpcTls.CERT_OPTION + "'s certificate.")
    Path grpcTlsKey;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = DcbApiConfig.DEFAULT_HOST,
            description = "Address to listen on (0.0.0.0: every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Mixin
    HttpAuthOptions auth;

    @Mixin
    DcbLimitsOptions limits;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "5",
            description = "The decider's transaction commit interval; appends are answered when it commits. "
                    + "Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The decider's Kafka Streams state.dir; one instance at a time. Default: a directory of this "
                    + "instance's own, ${sys:java.io.tmpdir}/sluice-streams/<application id>[.N] (N when another "
                    + "instance on this host holds the first); with the embedded broker, a temporary one.")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionValues.inRange(spec, "--port", port, 0, 65535);
        if (grpcPort != null) OptionValues.inRange(spec, GrpcConfig.PORT_OPTION, grpcPort, 0, 65535);
        Optional<GrpcTls> grpcTls = grpcTls();
        OptionValues.inRange(spec, "--commit-interval-ms", commitIntervalMs, 1, 60_000);
        HttpAuth httpAuth = auth.auth(spec);
        ApiLimits apiLimits = limits.limits(spec);
        StackConfig stackConfig = connection.stack(err::println);
        // Installed before starting, so that a Ctrl-C during start-up still shuts down what started.
        StopSignals stop = StopSignals.install(err);
        Closer started = new Closer("stopping the dcb api");
        Runnable close = () -> {
            try {
                started.close();
            } catch (Closer.CloseException e) {
                err.println(e.getMessage());
            }
        };
        // For exits that bypass the stop signal: the stack's child processes must not outlive this one.
        Thread hook = new Thread(close, "sluice-dcb-api-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            EmbeddedStack stack = EmbeddedStack.start(stackConfig);
            started.push(stack);
            DcbServiceConfig config = serviceConfig(stack, stackConfig.kafkaBootstrap().isEmpty(), started, apiLimits, grpcTls)
                    .withAuth(httpAuth);
            ComponentMetrics metrics = new ComponentMetrics("dcb-api");
            started.push(metrics);
            DcbService service = DcbService.start(config, err::println, metrics);
            started.push(service);
            out.println("sluice dcb-api is ready: " + service.baseUri() + "  (GET /read, POST /append, GET /metrics)");
            service.api().grpcPort().ifPresent(grpc -> out.println("gRPC (sluice.v1.DcbService, health, reflection) on "
                    + host + ":" + grpc + (grpcTls.isPresent() ? " (TLS)" : "")));
            out.println("Running. Press Ctrl-C to stop.");
            out.flush();
            stop.await();
            err.println("stopping the dcb api ...");
        } finally {
            close.run();
            removeShutdownHook(hook);
        }
        err.println("dcb api stopped");
        return 0;
    }

    /**
     * The TLS options, checked before anything starts: both or neither, files that exist and load as a
     * certificate chain and key; and only with {@code --grpc-port}, which they would otherwise silently not affect.
     */
    private Optional<GrpcTls> grpcTls() {
        if (grpcTlsCert != null) OptionValues.existingFile(spec, GrpcTls.CERT_OPTION, grpcTlsCert);
        if (grpcTlsKey != null) OptionValues.existingFile(spec, GrpcTls.KEY_OPTION, grpcTlsKey);
        Optional<GrpcTls> tls = OptionValues.parse(spec, GrpcTls.CERT_OPTION, () -> GrpcTls.of(grpcTlsCert, grpcTlsKey));
        if (tls.isPresent() && grpcPort == null) {
            throw new ParameterException(spec.commandLine(), GrpcTls.CERT_OPTION + " and " + GrpcTls.KEY_OPTION
                    + " need " + GrpcConfig.PORT_OPTION + " (they secure the gRPC listener)");
        }
        tls.ifPresent(t -> OptionValues.parse(spec, GrpcTls.CERT_OPTION, t::credentials));
        return tls;
    }

    private DcbServiceConfig serviceConfig(EmbeddedStack stack, boolean embeddedKafka, Closer started, ApiLimits apiLimits,
                                           Optional<GrpcTls> grpcTls) {
        PostgresEndpoint pg = stack.endpoints().postgres();
        DcbApiConfig defaults = DcbApiConfig.defaults(port, stack.endpoints().connection(),
                pg.jdbcUrl(), pg.user(), pg.password()).withHost(host);
        DcbApiConfig withGrpc = grpcPort == null ? defaults : defaults.withGrpc(GrpcConfig.defaults(grpcPort).withTls(grpcTls));
        // checks the body limit against a max.request.size from --command-config
        DcbApiConfig api = OptionValues.parse(spec, ApiLimits.BODY_OPTION, () -> withGrpc.withLimits(apiLimits));
        DcbServiceConfig config = DcbServiceConfig.defaults(api).withCommitInterval(Duration.ofMillis(commitIntervalMs))
                .withInstanceId(instance.id());
        if (stateDir != null) config = config.withStateDir(stateDir);
        if (!embeddedKafka) return config;
        // The embedded broker's log dies with this process: so do the decider's state and the events table's copy.
        if (stateDir == null) {
            Path temporary = TempDirs.create("sluice-dcb-decider-");
            started.push(() -> TempDirs.deleteRecursively(temporary));
            config = config.withStateDir(temporary);
        }
        return config.withOnOtherLog(OnOtherLog.RESET);
    }


    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or has run; close is idempotent
        }
    }
}
