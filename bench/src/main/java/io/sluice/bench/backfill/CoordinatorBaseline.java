package io.sluice.bench.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.repo.RepoParser;
import io.sluice.backfill.atproto.repo.RepoRecord;
import io.sluice.backfill.atproto.repo.RepoSummary;
import io.sluice.backfill.resolve.DidDocuments;
import io.sluice.backfill.resolve.ResolutionException;
import io.sluice.bench.StageCpu;
import io.sluice.stack.PostgresEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed design's coordinator/worker backfill, the benchmark's baseline: a coordinator puts every
 * DID on a shared queue; {@value #WORKERS} worker threads each take one DID at a time and do, one step
 * after the other, resolve (GET the PLC directory) → fetch (GET getRepo, the whole CAR) → parse (the
 * same {@link RepoParser} sluice uses, the CAR in memory) → one JDBC batch of INSERTs into
 * {@code <schema>.repo_records}, committed per DID. A 429 makes the worker wait for the host's
 * {@code ratelimit-reset} (or a second) and try again, as a polite client would; nothing else paces it.
 */
final class CoordinatorBaseline {

    static final int WORKERS = 8;
    static final String NAME = "coordinator-8-workers";
    /** The workers' thread names and their connections' application_name, so the run's CPU can be told apart. */
    private static final String WORKER_THREAD = "bench-bf-baseline-worker-";
    private static final String APPLICATION_NAME = "sluice-bench-bf-baseline";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_ATTEMPTS = 20;
    private static final String INSERT = "INSERT INTO repo_records (did, collection, rkey, cid, rev, record, run_id)"
            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (did, collection, rkey) DO NOTHING";

    /** What a run did. */
    record Outcome(double seconds, long dids, long records, long requests, long throttled, Map<String, Double> cpuSeconds) {
    }

    private final URI plcUrl;
    private final PostgresEndpoint postgres;
    private final String schema;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    CoordinatorBaseline(URI plcUrl, PostgresEndpoint postgres, String schema) {
        this.plcUrl = plcUrl;
        this.postgres = postgres;
        this.schema = schema;
    }

    /** Creates the schema and an empty repo_records (the same columns and key as sluice's). */
    void prepare() throws SQLException {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".repo_records (did text NOT NULL, collection text NOT NULL,"
                    + " rkey text NOT NULL, cid text NOT NULL, rev text COLLATE \"C\" NOT NULL, record jsonb NOT NULL,"
                    + " run_id text NOT NULL, PRIMARY KEY (did, collection, rkey))");
        }
    }

    Outcome run(List<String> dids) throws Exception {
        Queue<String> queue = new ConcurrentLinkedQueue<>(dids);
        try (StageCpu cpu = new StageCpu(CoordinatorBaseline::stageOf, postgres, List.of(APPLICATION_NAME))) {
            long start = System.nanoTime();
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().name(WORKER_THREAD, 0).factory());
            try {
                List<Future<Void>> running = new ArrayList<>();
                for (int i = 0; i < WORKERS; i++) running.add(workers.submit(() -> work(queue)));
                for (Future<Void> f : running) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a baseline worker failed: " + e.getCause(), e.getCause());
                    }
                }
            } finally {
                workers.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(seconds, dids.size(), records.get(), requests.get(), throttled.get(), cpu.seconds());
        }
    }

    /** As {@link SluicePathRun#stageOf}: the simulator's connections are virtual threads on carriers. */
    private static String stageOf(String thread) {
        if (thread.startsWith(WORKER_THREAD) || thread.startsWith("HttpClient-")) return "baseline_workers";
        if (thread.startsWith("ForkJoinPool-")) return "virtual_threads";
        if (thread.startsWith("pds-simulator")) return "simulator";
        if (thread.equals("main") || thread.startsWith("bench-")) return "bench_and_publish";
        return "broker_and_other";
    }

    private Void work(Queue<String> queue) throws Exception {
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            db.createStatement().execute("SET search_path TO " + schema);
            try (PreparedStatement insert = db.prepareStatement(INSERT)) {
                for (String did; (did = queue.poll()) != null; ) {
                    String pds = resolve(did);
                    List<RepoRecord> repo = new ArrayList<>();
                    RepoSummary summary;
                    try (InputStream car = getRepo(pds, did)) {
                        summary = RepoParser.parse(car, Limits.DEFAULT, repo::add);
                    }
                    for (RepoRecord r : repo) {
                        insert.setString(1, r.did());
                        insert.setString(2, r.collection());
                        insert.setString(3, r.rkey());
                        insert.setString(4, r.cid().toString());
                        insert.setString(5, summary.rev());
                        insert.setString(6, r.json());
                        insert.setString(7, "baseline");
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    db.commit();
                    records.addAndGet(repo.size());
                }
            }
        }
        return null;
    }

    /** pgjdbc's reWriteBatchedInserts turns a batch into multi-row INSERTs: the seed design's fastest plain-JDBC path. */
    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!postgres.user().isEmpty()) props.setProperty("user", postgres.user());
        if (!postgres.password().isEmpty()) props.setProperty("password", postgres.password());
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", APPLICATION_NAME);
        return DriverManager.getConnection(postgres.jdbcUrl(), props);
    }

    private String resolve(String did) throws IOException, InterruptedException, ResolutionException {
        HttpResponse<byte[]> response = send(URI.create(plcUrl + "/" + did), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode document = JSON.readTree(response.body());
        return DidDocuments.pdsEndpoint(document, did).url();
    }

    private InputStream getRepo(String pds, String did) throws IOException, InterruptedException {
        URI uri = URI.create(pds + "/xrpc/com.atproto.sync.getRepo?did=" + URLEncoder.encode(did, StandardCharsets.UTF_8));
        return send(uri, HttpResponse.BodyHandlers.ofInputStream()).body();
    }

    /** GET, waiting out 429s; any other non-200 fails the run. */
    private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/vnd.ipld.car").GET().build();
        for (int attempt = 1; ; attempt++) {
            requests.incrementAndGet();
            HttpResponse<T> response = http.send(request, body);
            if (response.statusCode() == 200) return response;
            if (response.body() instanceof InputStream in) in.close();
            if (response.statusCode() != 429 || attempt >= MAX_ATTEMPTS) {
                throw new IOException("GET " + uri + ": HTTP " + response.statusCode() + " (attempt " + attempt + ")");
            }
            throttled.incrementAndGet();
            Thread.sleep(waitAfter429(response.headers().firstValue("ratelimit-reset")));
        }
    }

    private static long waitAfter429(Optional<String> reset) {
        try {
            long untilMs = Long.parseLong(reset.orElse("").strip()) * 1000 - System.currentTimeMillis();
            return Math.max(10, Math.min(untilMs, 60_000));
        } catch (NumberFormatException e) {
            return 1_000;
        }
    }
}
