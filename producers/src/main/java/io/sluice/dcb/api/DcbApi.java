package io.sluice.dcb.api;

import io.sluice.common.lifecycle.Closer;
import com.sun.net.httpserver.HttpHandler;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The DCB HTTP API on its own, without the decider and the events sink it talks to (see
 * {@link DcbService} for all of it): consumes HTTP requests, dcb.results and the events sink's
 * PostgreSQL table and notifications; produces dcb.commands and HTTP answers. Guarantees: an
 * append is answered only once the decider's transaction holding it committed; a read sees every
 * append answered before it started (the {@link ReadFence}), including those answered before this
 * API started (the log's last position at start).
 */
public final class DcbApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DcbApi.class);

    private final DcbApiConfig config;
    private final DcbHttpServer server;
    private final DcbGrpcServer grpc; // null: no gRPC listener
    private final ReadFence fence;
    private final ResultWaiter results;
    private final Closer started;

    private DcbApi(DcbApiConfig config, DcbHttpServer server, DcbGrpcServer grpc, ReadFence fence, ResultWaiter results,
                   Closer started) {
        this.config = config;
        this.server = server;
        this.grpc = grpc;
        this.fence = fence;
        this.results = results;
        this.started = started;
    }

    /** Starts every part; the HTTP (and gRPC) server last, so the API is ready once it answers. */
    public static DcbApi start(DcbApiConfig config) {
        return start(config, Map.of());
    }

    /** As {@link #start(DcbApiConfig)}, the HTTP server also serving {@code extraRoutes} (e.g. /metrics). */
    public static DcbApi start(DcbApiConfig config, Map<String, HttpHandler> extraRoutes) {
        Closer started = new Closer("stopping the dcb api");
        try {
            Topics topics = Topics.create(HttpSchemaRegistryClient.create(config.connection().requireRegistry()), true);
            ReadFence fence = new ReadFence();
            // Appends answered before this start count too: their events must be readable.
            fence.acknowledged(EventLogTail.lastPosition(config.connection(), config.eventsTopic(),
                    topics.dcbEvents().valueSerde().deserializer()));
            started.push(SinkWatermark.start(config, fence));
            EventReader reader = new EventReader(config);
            started.push(reader);
            ReadWriters readWriters = new ReadWriters(ReadWriters.defaultTurns());
            started.push(readWriters);
            ResultWaiter results = ResultWaiter.start(config.connection(), config.resultsTopic(),
                    topics.dcbResults().valueSerde().deserializer(), fence);
            started.push(results);
            KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(producerProperties(config),
                    topics.dcbCommands().keySerde().serializer(), topics.dcbCommands().valueSerde().serializer());
            started.push(() -> producer.close(Duration.ofSeconds(10)));
            // one append path for both fronts
            Appender appender = new KafkaAppender(producer, config.commandsTopic(), results, config.appendTimeout());
            DcbHttpServer server = DcbHttpServer.start(config.host(), config.port(),
                    new AppendHandler(appender, config.limits()),
                    new ReadHandler(fence, reader, config.readTimeout(), config.limits(), readWriters), extraRoutes, config.auth());
            started.push(server);
            DcbGrpcServer grpc = null;
            if (config.grpc().isPresent()) {
                grpc = DcbGrpcServer.start(config.host(), config.grpc().get(), config.auth(), config.limits(), appender, fence,
                        reader, config.readTimeout(), config.connection());
                started.push(grpc);
                log.info("dcb api serving gRPC on {}:{}", config.host(), grpc.port());
            }
            log.info("dcb api listening on {}:{} ({})", config.host(), server.port(), config);
            return new DcbApi(config, server, grpc, fence, results, started);
        } catch (RuntimeException e) {
            started.closeAfter(e);
            throw e;
        }
    }

    static Map<String, Object> producerProperties(DcbApiConfig config) {
        Map<String, Object> props = config.connection().producer();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.producerLinger().toMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-dcb-api-commands");
        // Room for the largest body the API takes plus the command's envelope (DcbApiConfig checks a configured one).
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.producerMaxRequestSize());
        // A broker that is gone makes send() block on metadata; fail the request well within its timeout.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000L, config.appendTimeout().toMillis()));
        return props;
    }

    /** The port the HTTP server listens on. */
    public int port() {
        return server.port();
    }

    /** The port the gRPC server listens on; empty when it was not asked for. */
    public java.util.OptionalInt grpcPort() {
        return grpc == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(grpc.port());
    }

    /** The gRPC server; empty when it was not asked for. */
    public java.util.Optional<DcbGrpcServer> grpc() {
        return java.util.Optional.ofNullable(grpc);
    }

    /** {@code http://host:port}. */
    public URI baseUri() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    public ReadFence fence() {
        return fence;
    }

    /** Requests waiting for the decider right now. */
    public int pendingAppends() {
        return results.waitingCount();
    }

    /** Stops serving, then closes the producer, the results consumer and the PostgreSQL connections. */
    @Override
    public void close() {
        try {
            started.close();
        } catch (Closer.CloseException e) {
            log.warn("{}", e.toString());
        }
    }

}
