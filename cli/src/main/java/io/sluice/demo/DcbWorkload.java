package io.sluice.demo;

import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.DcbLoad;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.stack.PostgresEndpoint;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A burst of DCB appends: the whole store (decider, events sink, HTTP API, as {@code sluice dcb-api}
 * runs it) on schema {@value #SCHEMA}, and {@code dcbClients} HTTP clients sending
 * {@code dcbAppends} conditional appends between them ({@link DcbLoad}: one event each, on the
 * condition that no event with its tag exists yet). Checked: every append answered, one events row
 * per successful append, positions 1..n without a gap.
 */
final class DcbWorkload implements Workload {

    static final String SCHEMA = "dcb";
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(55);

    private final DemoContext run;

    DcbWorkload(DemoContext run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "dcb";
    }

    @Override
    public String unit() {
        return "appends";
    }

    @Override
    public long total() {
        return run.settings().dcbAppends();
    }

    @Override
    public long done() throws SQLException {
        return run.db().count(SCHEMA, "SELECT count(*) FROM events");
    }

    @Override
    public WorkloadResult run() throws Exception {
        long start = System.nanoTime();
        DemoSettings settings = run.settings();
        PostgresEndpoint pg = run.db().endpoint();
        DcbApiConfig api = DcbApiConfig.defaults(0, run.stack().connection(), pg.jdbcUrl(),
                pg.user(), pg.password()).withSchema(SCHEMA);
        // On a busy 2-core machine the decider can stall for more than the API's default 30 s; the demo
        // waits longer for an answer, just under the 60 s the load's HTTP clients wait.
        api = api.withTimeouts(APPEND_TIMEOUT, api.readTimeout());
        DcbServiceConfig config = DcbServiceConfig.defaults(api).withStateDir(run.stateDir().resolve("dcb"));
        if (run.names().isolated()) config = config.withSuffix(run.names().prefix());
        DcbLoad.Result load;
        try (DcbService service = DcbService.start(config, line -> { })) {
            load = DcbLoad.appends(service.baseUri(), run.names().prefix(), settings.dcbClients(), settings.dcbAppends(),
                    settings.timeout());
            awaitRows(service, load.answered() - load.conditionFailed(), start);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rows = done();
        long appended = load.answered() - load.conditionFailed();
        long dlq = DlqCount.of(run.stack().connection(), config.dlqTopic());
        String answered = load.answered() + (load.errors() == 0 ? "" : " (" + load.errors() + " errors, the first: "
                + load.firstError() + ")");
        return new WorkloadResult(name(), settings.dcbAppends(), rows, seconds, dlq, -1, List.of(
                new WorkloadResult.Check("appends answered", Long.toString(settings.dcbAppends()), answered),
                WorkloadResult.Check.of("events rows (appends accepted)", appended, rows),
                WorkloadResult.Check.of("last position (no gaps)", rows, run.db().count(SCHEMA, "SELECT max(position) FROM events"))));
    }

    /** The sink writes shortly after the decider answers: until every accepted append has its row. */
    private void awaitRows(DcbService service, long appended, long start) throws Exception {
        long deadline = start + run.settings().timeout().toNanos();
        while (done() < appended) {
            if (!service.isHealthy()) throw new IllegalStateException("the DCB events sink has stopped");
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("dcb: after " + run.settings().timeout().toSeconds() + " s PostgreSQL has " + done()
                        + " of " + appended + " events");
            }
            Thread.sleep(50);
        }
    }
}
