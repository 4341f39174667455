package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.ReadOptions;

import java.net.URLDecoder;
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
 * {@link EventReader} as a JSON array of {@code {"type", "tags", "data", "position"}}. A bad
 * parameter is a 400; the sink not catching up in time, or PostgreSQL down, a 503.
 */
final class ReadHandler extends JsonHandler {

    private static final Set<String> PARAMETERS = Set.of("query", "options");

    private final ReadFence fence;
    private final EventReader reader;
    private final Duration timeout;

    ReadHandler(ReadFence fence, EventReader reader, Duration timeout) {
        super("/read", "GET");
        this.fence = fence;
        this.reader = reader;
        this.timeout = timeout;
    }

    @Override
    Response respond(HttpExchange exchange, long startedNanos) throws Unavailable, InterruptedException {
        Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
        Query query = DcbJson.parseQuery(parameters.get("query"));
        ReadOptions options = DcbJson.parseOptions(parameters.get("options"));
        if (!fence.await(timeout)) {
            throw new Unavailable("the read waited " + timeout + " for the events sink to store every acknowledged append: "
                    + fence.describe(), null);
        }
        try {
            return new Response(200, DcbJson.events(reader.read(query, options)));
        } catch (SQLException e) {
            throw new Unavailable("reading from PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    /** The decoded parameters; an unknown or repeated one is a 400, so a typo is not silently ignored. */
    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return parameters;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!PARAMETERS.contains(name)) {
                throw new BadRequestException("unknown parameter '" + name + "' (allowed: options, query)");
            }
            if (parameters.put(name, value) != null) throw new BadRequestException("parameter '" + name + "' is given twice");
        }
        return parameters;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("the query string is not URL-encoded properly: " + e.getMessage());
        }
    }
}
