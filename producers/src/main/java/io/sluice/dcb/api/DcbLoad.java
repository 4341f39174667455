package io.sluice.dcb.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's load: {@code clients} concurrent HTTP clients, each sending one conditional
 * append after another for a while, as the dcb.events suite's adapter would: one event
 * {@code UserRegistered} tagged with a username of its own, on the condition that no event with
 * that type and tag exists ({@code after: 0}), so the decider looks the tag up every time. Produces
 * the number of answers and their latencies; a non-200 answer counts as an error.
 */
public final class DcbLoad {

    /**
     * One measured run.
     *
     * @param clients          concurrent clients
     * @param seconds          how long it ran
     * @param appends          answered appends (appended or failed on the condition)
     * @param conditionFailed  of those, refused on the condition
     * @param errors           non-200 answers
     * @param p50Millis        median latency of the answered appends
     * @param p99Millis        99th percentile
     * @param firstError       what the first error was, empty when there was none
     */
    public record Result(int clients, double seconds, long appends, long conditionFailed, long errors, double p50Millis,
                         double p99Millis, String firstError) {

        public double appendsPerSecond() {
            return appends / seconds;
        }
    }

    private DcbLoad() {
    }

    /** Runs {@code clients} clients against {@code base} for {@code duration}; names are unique per {@code runId}. */
    public static Result run(URI base, String runId, int clients, Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        URI append = base.resolve("/append");
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>(clients);
        AtomicReference<String> firstError = new AtomicReference<>("");
        try (http; ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                String prefix = runId + "-" + c + "-";
                results.add(pool.submit(() -> client(http, append, prefix, end, firstError)));
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
    private static long[] client(HttpClient http, URI append, String prefix, long end, AtomicReference<String> firstError)
            throws InterruptedException {
        long[] out = new long[1024];
        int n = 2;
        for (int i = 0; System.nanoTime() < end; i++) {
            String user = "username:" + prefix + i;
            String body = "{\"events\":[{\"type\":\"UserRegistered\",\"tags\":[\"" + user + "\"],\"data\":\"{}\"}],"
                    + "\"condition\":{\"failIfEventsMatch\":{\"items\":[{\"types\":[\"UserRegistered\"],\"tags\":[\"" + user
                    + "\"]}]},\"after\":0}}";
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(append).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
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
