package io.sluice.dcb.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The benchmark's load: {@code clients} concurrent HTTP clients, each sending one request after
 * another for a while, as the dcb.events suite's adapter would. {@link #appends}: one event
 * {@code UserRegistered} tagged with a username of its own, on the condition that no event with
 * that type and tag exists ({@code after: 0}), so the decider looks the tag up every time.
 * {@link #reads}: the events of one user appended by an earlier {@link #appends} run (a tag query,
 * behind the read-your-writes fence). Produces the number of answers and their latencies; a
 * non-200 answer counts as an error.
 */
public final class DcbLoad {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * One measured run.
     *
     * @param clients          concurrent clients
     * @param seconds          how long it ran
     * @param answered         requests answered with 200 (for appends: appended or failed on the condition)
     * @param conditionFailed  of those, appends refused on the condition
     * @param errors           non-200 answers
     * @param p50Millis        median latency of the answered requests
     * @param p99Millis        99th percentile
     * @param firstError       what the first error was, empty when there was none
     */
    public record Result(int clients, double seconds, long answered, long conditionFailed, long errors, double p50Millis,
                         double p99Millis, String firstError) {

        public double perSecond() {
            return answered / seconds;
        }
    }

    /** The request a client sends the {@code i}-th time. */
    private interface Requests {
        HttpRequest request(int client, int i);
    }

    private DcbLoad() {
    }

    /** Conditional appends by {@code clients} clients for {@code duration}; usernames are unique per {@code runId}. */
    public static Result appends(URI base, String runId, int clients, Duration duration) throws InterruptedException {
        return appends(base, runId, clients, duration, new AtomicLong(Long.MAX_VALUE));
    }

    /**
     * Sends exactly {@code appends} appends (fewer only if {@code limit} runs out first) shared among
     * {@code clients} clients, each taking the next one when its previous append is answered.
     */
    public static Result appends(URI base, String runId, int clients, long appends, Duration limit) throws InterruptedException {
        if (appends < 0) throw new IllegalArgumentException("appends must be >= 0, got " + appends);
        return appends(base, runId, clients, limit, new AtomicLong(appends));
    }

    private static Result appends(URI base, String runId, int clients, Duration duration, AtomicLong budget)
            throws InterruptedException {
        URI append = base.resolve("/append");
        return drive(clients, duration, budget, (c, i) -> {
            String user = "username:" + runId + "-" + c + "-" + i;
            String body = "{\"events\":[{\"type\":\"UserRegistered\",\"tags\":[\"" + user + "\"],\"data\":\"{}\"}],"
                    + "\"condition\":{\"failIfEventsMatch\":{\"items\":[{\"types\":[\"UserRegistered\"],\"tags\":[\"" + user
                    + "\"]}]},\"after\":0}}";
            return HttpRequest.newBuilder(append).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        });
    }

    /**
     * Reads by {@code clients} clients for {@code duration}, each of the events of one user that the
     * {@link #appends} run {@code appendRunId} with {@code appendClients} clients appended first (a
     * random one of those clients each time).
     */
    public static Result reads(URI base, String appendRunId, int appendClients, int clients, Duration duration)
            throws InterruptedException {
        return drive(clients, duration, new AtomicLong(Long.MAX_VALUE), (c, i) -> {
            String user = "username:" + appendRunId + "-" + ThreadLocalRandom.current().nextInt(appendClients) + "-0";
            String query = "{\"items\":[{\"types\":[\"UserRegistered\"],\"tags\":[\"" + user + "\"]}]}";
            URI read = base.resolve("/read?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            return HttpRequest.newBuilder(read).timeout(TIMEOUT).GET().build();
        });
    }

    private static Result drive(int clients, Duration duration, AtomicLong budget, Requests requests) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>(clients);
        AtomicReference<String> firstError = new AtomicReference<>("");
        try (http; ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> client(http, i -> requests.request(client, i), end, budget, firstError)));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long failed = 0;
        long errors = 0;
        long[] latencies = new long[0];
        for (Future<long[]> f : results) {
            long[] r;
            try {
                r = f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a benchmark client failed", e.getCause());
            }
            failed += r[0];
            errors += r[1];
            int before = latencies.length;
            latencies = Arrays.copyOf(latencies, before + r.length - 2);
            System.arraycopy(r, 2, latencies, before, r.length - 2);
        }
        Arrays.sort(latencies);
        return new Result(clients, seconds, latencies.length, failed, errors, percentile(latencies, 0.50),
                percentile(latencies, 0.99), firstError.get());
    }

    /** @return {conditionFailed, errors, latency nanos...} */
    private static long[] client(HttpClient http, IntFunction<HttpRequest> requests, long end, AtomicLong budget,
                                 AtomicReference<String> firstError) throws InterruptedException {
        long[] out = new long[1024];
        int n = 2;
        for (int i = 0; System.nanoTime() < end && budget.getAndDecrement() > 0; i++) {
            HttpRequest request = requests.apply(i);
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                out[1]++;
                firstError.compareAndSet("", e.toString());
                continue;
            }
            long latency = System.nanoTime() - sent;
            if (response.statusCode() != 200) {
                out[1]++;
                firstError.compareAndSet("", response.statusCode() + " " + response.body());
                continue;
            }
            if (response.body().contains("\"appendConditionFailed\":true")) out[0]++;
            if (n == out.length) out = Arrays.copyOf(out, n * 2);
            out[n++] = latency;
        }
        return Arrays.copyOf(out, n);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
