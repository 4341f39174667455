package io.sluice.dcb.service;

import io.sluice.common.lifecycle.Closer;
import io.sluice.common.state.StateDirectory;
import io.sluice.dcb.api.DcbApi;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.decider.DeciderApp;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.MetricsServer;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.dcb.EventLogGuard;
import io.sluice.sinks.dcb.EventsSink;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole DCB event store in one process, as {@code sluice dcb-api} runs it on the services it is
 * given (Kafka, the registry, PostgreSQL): the topics, the decider (Kafka Streams, exactly-once),
 * the events sink (dcb.events → PostgreSQL, exactly-once) and the HTTP API. Starts them in that
 * order, each only once what it needs is up, so the API is ready when it answers; closes them in
 * reverse order.
 */
public final class DcbService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DcbService.class);

    private final DcbApi api;
    private final EventsSink sink;
    private final Closer started;

    private DcbService(DcbApi api, EventsSink sink, Closer started) {
        this.api = api;
        this.sink = sink;
        this.started = started;
    }

    /** Starts everything; {@code progress} gets one line per step. */
    public static DcbService start(DcbServiceConfig config, Consumer<String> progress) throws InterruptedException {
        return start(config, progress, null);
    }

    /**
     * As {@link #start(DcbServiceConfig, Consumer)}, the decider's and the sink's meters going to
     * {@code metrics} (null: none), which the HTTP API then serves at /metrics.
     */
    public static DcbService start(DcbServiceConfig config, Consumer<String> progress, ComponentMetrics metrics)
            throws InterruptedException {
        Closer started = new Closer("stopping the dcb service");
        try {
            prepare(config, progress);
            progress.accept("starting the decider (commit interval " + config.commitInterval().toMillis() + " ms)");
            // claimed, not just named: a second instance on this host gets a directory of its own
            StateDirectory state = config.stateDir().map(dir -> StateDirectory.claim(dir, "--state-dir"))
                    .orElseGet(() -> StateDirectory.claimDefault(StateDirectory.defaultBase(), config.deciderApplicationId()));
            started.push(state);
            progress.accept("decider state in " + state.path());
            DeciderApp decider = DeciderApp.start(config.withStateDir(state.path()).deciderConfig());
            started.push(decider);
            if (metrics != null) started.push(metrics.bind(decider.metrics()));
            if (!decider.awaitRunning(config.startTimeout())) {
                throw new IllegalStateException("the decider did not start within " + config.startTimeout() + " (state "
                        + decider.state() + ")");
            }
            progress.accept("starting the events sink");
            EventsSink sink = startSink(config, metrics);
            started.push(sink);
            progress.accept("starting the HTTP API");
            DcbApi api = DcbApi.start(config.api(), metrics == null ? Map.of()
                    : Map.of(MetricsServer.PATH, MetricsServer.handler(metrics::scrape)));
            started.push(api);
            return new DcbService(api, sink, started);
        } catch (RuntimeException | InterruptedException e) {
            started.closeAfter(e);
            throw e;
        }
    }

    /**
     * What must exist before any part runs: the topics (created if missing), the PostgreSQL tables
     * (migrated), and the events table tied to this dcb.events log ({@link EventLogGuard}).
     */
    public static void prepare(DcbServiceConfig config, Consumer<String> progress) throws InterruptedException {
        progress.accept("preparing the topics");
        DcbTopics.Ready topics = DcbTopics.ensure(config);
        progress.accept("migrating PostgreSQL");
        DcbApiConfig api = config.api();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(api.jdbcUrl());
        if (!api.dbUser().isEmpty()) db.setUser(api.dbUser());
        if (!api.dbPassword().isEmpty()) db.setPassword(api.dbPassword());
        db.setCurrentSchema(api.schema());
        SinkMigrations.migrate(db, api.schema());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            EventLogGuard.adopt(c, api.eventsTopic(), topics.eventsTopicId(), config.sinkGroupId(), config.onOtherLog());
        } catch (SQLException e) {
            throw new IllegalStateException("checking the events table in PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    /** The events sink of {@code config}, running on a thread of its own. */
    public static EventsSink startSink(DcbServiceConfig config) {
        return startSink(config, null);
    }

    private static EventsSink startSink(DcbServiceConfig config, ComponentMetrics metrics) {
        Topics topics = Topics.create(HttpSchemaRegistryClient.create(config.api().connection().requireRegistry()), true);
        return EventsSink.start(metrics == null ? config.sinkConfig() : config.sinkConfig().withMeterRegistry(metrics.registry()), topics.dcbEvents().keySerde().deserializer(),
                topics.dcbEvents().valueSerde().deserializer(), config.api().notifyChannel());
    }

    public DcbApi api() {
        return api;
    }

    public URI baseUri() {
        return api.baseUri();
    }

    /** False once the events sink has stopped on a failure retrying cannot fix (reads would then time out). */
    public boolean isHealthy() {
        return sink.isRunning();
    }

    /** Stops the HTTP API, the sink and the decider, in that order. */
    @Override
    public void close() {
        try {
            started.close();
        } catch (Closer.CloseException e) {
            log.warn("{}", e.toString());
        }
    }

}
