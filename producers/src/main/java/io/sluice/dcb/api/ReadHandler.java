package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.ReadOptions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /read?query=<JSON>&options=<JSON>}: consumes the URL-encoded query
 * ({@code {"items": [{"types", "tags"}]}}, absent: every event) and options
 * ({@code {"from", "limit", "backwards"}}, all optional), waits at the {@link ReadFence} until
 * PostgreSQL holds every acknowledged append, then produces 200 and the matching events from
 * {@link EventReader} as a JSON array of {@code {"type", "tags", "data", "position"}}, streamed from
 * a database cursor. A read returns at most {@link ApiLimits#readDefaultLimit()} events when it
 * gives no limit (the {@value #LIMIT_HEADER} header tells which limit applied); a client pages on
 * with {@code from} = the last position + 1 (backwards: - 1) until a page holds fewer events than
 * the limit. A bad parameter, or a limit above {@link ApiLimits#readMaxLimit()}, is a 400; the sink
 * not catching up in time, or PostgreSQL down, a 503. The answer is written on a platform thread
 * ({@link ReadWriters}), so that long reads do not hold the virtual threads' carriers.
 */
final class ReadHandler extends JsonHandler {

    /** The limit the read applied, given or default: a page this full may have a next page. */
    static final String LIMIT_HEADER = "Dcb-Read-Limit";
    private static final Set<String> PARAMETERS = Set.of("query", "options");

    private final ReadFence fence;
    private final EventReader reader;
    private final Duration timeout;
    private final ApiLimits limits;
    private final ReadWriters writers;

    ReadHandler(ReadFence fence, EventReader reader, Duration timeout, ApiLimits limits, ReadWriters writers) {
        super("/read", "GET");
        this.fence = fence;
        this.reader = reader;
        this.timeout = timeout;
        this.limits = limits;
        this.writers = writers;
    }

    @Override
    Response respond(HttpExchange exchange, long startedNanos) throws Unavailable, InterruptedException {
        Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
        Query query = DcbJson.parseQuery(parameters.get("query"), limits.request());
        ReadOptions options = limited(DcbJson.parseOptions(parameters.get("options")));
        if (!fence.await(timeout)) {
            throw new Unavailable("the read waited " + timeout + " for the events sink to store every acknowledged append: "
                    + fence.describe(), null);
        }
        EventReader.Cursor cursor;
        try {
            cursor = reader.open(query, options);
        } catch (SQLException e) {
            throw new Unavailable("reading from PostgreSQL failed: " + e.getMessage(), e);
        }
        exchange.getResponseHeaders().set(LIMIT_HEADER, String.valueOf(options.limit().getAsInt()));
        Stream events = new Stream() {
            @Override
            public void writeTo(java.io.OutputStream out) throws Exception {
                DcbJson.writeEvents(cursor, out);
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
        return Response.streamed(new Stream() {
            @Override
            public void writeTo(java.io.OutputStream out) throws Exception {
                writers.write(events, out);
            }

            @Override
            public void close() {
                events.close();
            }
        });
    }

    /** {@code options} with the default limit when it has none; a limit above the maximum is a 400. */
    private ReadOptions limited(ReadOptions options) {
        if (options.limit().isEmpty()) return options.withLimit(limits.readDefaultLimit());
        int limit = options.limit().getAsInt();
        if (limit > limits.readMaxLimit()) {
            throw new BadRequestException("options.limit " + limit + " is more than the maximum of " + limits.readMaxLimit()
                    + " (" + ApiLimits.READ_MAX_OPTION + " raises it): read page by page, from = the last position + 1");
        }
        return options;
    }

    /** The decoded parameters; an unknown or repeated one is a 400, so a typo is not silently ignored. */
    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return parameters;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
            if (!PARAMETERS.contains(name)) {
                throw new BadRequestException("unknown parameter '" + name + "' (allowed: options, query)");
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter '" + name + "'");
            if (parameters.put(name, value) != null) throw new BadRequestException("parameter '" + name + "' is given twice");
        }
        return parameters;
    }

    /**
     * Percent-decoding ('+' is a space) into bytes, then strict UTF-8: {@link java.net.URLDecoder}
     * would turn bytes that are not UTF-8 into U+FFFD and read a different query than was sent.
     */
    static String decode(String s, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new BadRequestException("the query string is not URL-encoded properly: '%' at " + what
                            + "'s offset " + i + " is not followed by two hex digits");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return StrictUtf8.decode(bytes.toByteArray(), what);
    }
}
