package io.sluice.cli.secure;

import io.sluice.common.http.HttpLimits;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sluice.dcb.service.check.DcbClient.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 6, slow clients: {@code sluice dcb-api} in a JVM of its own, its HTTP limits given
 * with {@code -D} as the README tells a user to (request time {@value #REQUEST_SECONDS} s, at most
 * {@value #CAP} connections). 300 clients send requests a byte at a time, half trickling the headers,
 * half the body, reconnecting when cut: every such connection is closed within the request time (plus
 * the server's check every half second), none is answered, and an ordinary client connected before keeps its
 * append latency. Then {@value #CAP} + 50 silent connections at once: those over the cap are closed at
 * once, the rest within the request time, and a new client is served again.
 */
@WithSluiceStack
class DcbApiSlowClientsIT {

    private static final Pattern READY = Pattern.compile("sluice dcb-api is ready: (\\S+)");
    private static final int REQUEST_SECONDS = 2;
    private static final int CAP = 400;
    private static final int TRICKLERS = 300;
    /** The request time is checked every half second here; a loaded machine may add a little. */
    private static final long CUT_BOUND_MS = REQUEST_SECONDS * 1000L + 2500;

    @TempDir
    Path dir;

    @Test
    void tricklingClientsAreCutOffAndTheConnectionCapHoldsWhileAnOrdinaryClientIsServed(TestStack stack) throws Exception {
        List<String> jvm = List.of("-D" + HttpLimits.REQUEST_TIMEOUT_MS + "=" + REQUEST_SECONDS * 1000,
                "-D" + HttpLimits.MAX_CONNECTIONS + "=" + CAP);
        List<String> args = List.of("dcb-api", "--port", "0", "--state-dir", dir.resolve("state").toString(),
                "--bootstrap-server", stack.bootstrapServers(), "--registry-url", stack.registryUrl(),
                "--pg-url", stack.postgres().jdbcUrlWithCredentials());
        try (SluiceProcess api = SluiceProcess.start(jvm, args)) {
            api.awaitOutput("Running.", Duration.ofMinutes(3));
            Matcher ready = READY.matcher(api.output());
            assertThat(ready.find()).as(api.output()).isTrue();
            URI base = URI.create(ready.group(1));
            try (DcbClient ordinary = new DcbClient(base)) {
                for (int i = 0; i < 10; i++) append(ordinary, i); // warm-up, and its keep-alive connection is open
                List<Long> quiet = appends(ordinary, 100);

                AtomicBoolean done = new AtomicBoolean();
                ConcurrentLinkedQueue<Long> lifetimes = new ConcurrentLinkedQueue<>();
                List<Long> attacked;
                long started = System.nanoTime();
                try (ExecutorService slow = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> running = new ArrayList<>();
                    for (int t = 0; t < TRICKLERS; t++) {
                        boolean body = t % 2 == 1;
                        running.add(slow.submit(() -> {
                            while (!done.get()) lifetimes.add(trickle(base, body));
                            return null;
                        }));
                    }
                    Thread.sleep(REQUEST_SECONDS * 1000L); // every trickler connected and started
                    try {
                        attacked = appends(ordinary, 100);
                        // until the first round has certainly been cut, whatever the appends took
                        long left = CUT_BOUND_MS + 500 - (System.nanoTime() - started) / 1_000_000;
                        if (left > 0) Thread.sleep(left);
                    } finally {
                        done.set(true);
                    }
                    for (Future<?> f : running) f.get(30, TimeUnit.SECONDS);
                }
                List<Long> cut = lifetimes.stream().filter(ms -> ms >= 0).sorted().toList();
                long answered = lifetimes.stream().filter(ms -> ms == ANSWERED).count();
                System.out.printf("DcbApiSlowClientsIT: %d trickling connections cut after %d..%d ms (request time %d s);"
                        + " ordinary append p50/p99/max quiet %.1f/%.1f/%.1f ms, with %d tricklers %.1f/%.1f/%.1f ms%n",
                        cut.size(), cut.getFirst(), cut.getLast(), REQUEST_SECONDS, ms(quiet, 50), ms(quiet, 99), ms(quiet, 100),
                        TRICKLERS, ms(attacked, 50), ms(attacked, 99), ms(attacked, 100));
                assertThat(answered).as("trickled requests answered").isZero();
                assertThat(cut).as("every trickling connection was cut").hasSizeGreaterThanOrEqualTo(TRICKLERS);
                assertThat(cut.getLast()).as("longest trickling connection, ms").isLessThan(CUT_BOUND_MS);
                // the 100 ms, or the quiet p99 + 100 ms on a machine too loaded for that (as DcbLimitsIT)
                assertThat(ms(attacked, 99)).as("ordinary p99 with %d tricklers, ms", TRICKLERS)
                        .isLessThan(Math.max(100.0, ms(quiet, 99) + 100.0));

                Silent silent = silentConnections(base, CAP + 50);
                System.out.printf("DcbApiSlowClientsIT: %d silent connections: %d closed at once (over the cap of %d),"
                        + " the rest after %d..%d ms%n", CAP + 50, silent.refused(), CAP, silent.heldMin(), silent.heldMax());
                assertThat(silent.refused()).as("connections over the cap, closed at once").isGreaterThanOrEqualTo(50);
                assertThat(silent.refused()).as("connections over the cap, closed at once").isLessThanOrEqualTo(50 + 5);
                assertThat(silent.heldMax()).as("a silent accepted connection is closed within the request time, ms")
                        .isLessThan(CUT_BOUND_MS);
            }
            try (DcbClient later = new DcbClient(base)) {
                append(later, -1);
            }
            api.assertAlive();
        }
    }

    private static final long ANSWERED = -1;
    private static final long NEVER_CUT = -2;

    /**
     * One connection sending a POST one byte every 100 ms (all headers at once and then the body byte by
     * byte when {@code body}); the milliseconds until the server closed it, {@link #ANSWERED} when it sent
     * anything, {@link #NEVER_CUT} when still open after 20 s.
     */
    private static long trickle(URI base, boolean body) {
        String headers = "POST /append HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n";
        byte[] request = (headers + "{\"events\":[" + " ".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int sent = 0;
            if (body) {
                out.write(request, 0, headers.length());
                sent = headers.length();
            }
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                out.write(request[sent++ % request.length]);
                out.flush();
                try {
                    return in.read() < 0 ? elapsedMs(start) : ANSWERED;
                } catch (SocketTimeoutException e) {
                    // nothing yet: the next byte
                }
            }
            return NEVER_CUT;
        } catch (IOException e) {
            return elapsedMs(start); // reset or broken pipe: the server closed it
        }
    }

    private record Silent(int refused, long heldMin, long heldMax) {
    }

    /** Opens {@code n} connections that send nothing and times how long until each is closed by the server. */
    private static Silent silentConnections(URI base, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) sockets.add(new Socket(base.getHost(), base.getPort()));
            List<Future<Long>> closed = new ArrayList<>();
            for (Socket s : sockets) {
                closed.add(readers.submit(() -> {
                    s.setSoTimeout(20_000);
                    try {
                        return s.getInputStream().read() < 0 ? elapsedMs(start) : ANSWERED;
                    } catch (SocketTimeoutException e) {
                        return NEVER_CUT;
                    } catch (IOException e) {
                        return elapsedMs(start);
                    }
                }));
            }
            int refused = 0;
            long heldMin = Long.MAX_VALUE;
            long heldMax = 0;
            for (Future<Long> f : closed) {
                long ms = f.get(30, TimeUnit.SECONDS);
                assertThat(ms).as("a silent connection's fate").isNotIn(ANSWERED, NEVER_CUT);
                if (ms < 1000) {
                    refused++;
                } else {
                    heldMin = Math.min(heldMin, ms);
                    heldMax = Math.max(heldMax, ms);
                }
            }
            return new Silent(refused, heldMin, heldMax);
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static List<Long> appends(DcbClient client, int n) {
        List<Long> nanos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) nanos.add(append(client, i));
        Collections.sort(nanos);
        return nanos;
    }

    private static long append(DcbClient client, int i) {
        long started = System.nanoTime();
        client.append(List.of(event("Ordinary", List.of("ordinary:" + i), "{}")), null);
        return System.nanoTime() - started;
    }

    private static double ms(List<Long> sorted, int percentile) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
