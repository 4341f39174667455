package io.sluice.bench.grpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.grpc.v1.ReadResponse;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Read of many events, over gRPC and, as the in-run baseline, over HTTP ({@code GET /read},
 * paged at the largest limit it allows, as a client has to). The events are seeded with COPY straight
 * into the events table, after the store's own events and above their positions: the read path
 * reads that table, and the decider is never asked about them (seeding through the API would take
 * minutes at the measured append rates). Run it last: the decider does not know those positions.
 */
final class ReadThroughput {

    /** Events read and seconds taken; the events must be all that were seeded. */
    record Result(long events, double seconds) {
        double perSecond() {
            return events / seconds;
        }
    }

    private static final int COPY_BUFFER_ROWS = 10_000;

    private ReadThroughput() {
    }

    /** @return the position after which the {@code events} seeded ones are */
    static long seed(String jdbcUrl, String user, String password, String table, String tag, int events)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setAutoCommit(true);
            long after;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM " + table)) {
                rs.next();
                after = rs.getLong(1);
            }
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (position, type, tags, data, appended_at) FROM STDIN");
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= events; i++) {
                rows.append(after + i).append("\tBenchRead\t{").append(tag).append("}\t{\"n\":").append(i)
                        .append("}\t2026-01-01 00:00:00+00\n");
                if (i % COPY_BUFFER_ROWS == 0 || i == events) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE " + table);
            }
            return after;
        }
    }

    /**
     * One {@code Read} of every event after {@code after}, counted in the transport's own thread (a
     * channel with a direct executor, as the HTTP read parses in its reading thread), so the client's
     * hand-offs between threads are not what is measured.
     */
    static Result grpc(int port, long after) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        try {
            AtomicLong n = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            long started = System.nanoTime();
            DcbServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES)
                    .read(ReadRequest.newBuilder().setQuery(Query.getDefaultInstance()).setAfter(after).build(),
                            new StreamObserver<>() {
                                @Override
                                public void onNext(ReadResponse value) {
                                    n.addAndGet(value.getEventsCount());
                                }

                                @Override
                                public void onError(Throwable t) {
                                    done.completeExceptionally(t);
                                }

                                @Override
                                public void onCompleted() {
                                    done.complete(null);
                                }
                            });
            try {
                done.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the gRPC Read failed after " + n.get() + " events", e.getCause());
            }
            return new Result(n.get(), (System.nanoTime() - started) / 1e9);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Every event after {@code after} over HTTP, a page of {@code pageLimit} at a time. */
    static Result http(URI base, long after, int pageLimit) throws IOException, InterruptedException {
        JsonFactory json = new JsonFactory();
        String query = URLEncoder.encode("{\"items\":[]}", StandardCharsets.UTF_8);
        long started = System.nanoTime();
        long n = 0;
        long from = after + 1;
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (true) {
                String options = URLEncoder.encode("{\"from\":" + from + ",\"limit\":" + pageLimit + "}", StandardCharsets.UTF_8);
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/read?query=" + query + "&options=" + options)).GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                long inPage = 0;
                long last = from - 1;
                try (InputStream body = response.body(); JsonParser parser = json.createParser(body)) {
                    if (response.statusCode() != 200) {
                        throw new IOException("GET /read answered " + response.statusCode() + ": " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                        if (t == JsonToken.FIELD_NAME && "position".equals(parser.currentName())) {
                            parser.nextToken();
                            last = parser.getLongValue();
                            inPage++;
                        }
                    }
                }
                n += inPage;
                if (inPage < pageLimit) break;
                from = last + 1;
            }
        }
        return new Result(n, (System.nanoTime() - started) / 1e9);
    }
}
