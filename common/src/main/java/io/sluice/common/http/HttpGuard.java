package io.sluice.common.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every sluice HTTP listener checks before a handler runs, answering with a {@link JsonError}:
 * a request URI that {@code java.net.URI} cannot parse (400), the bearer token ({@link HttpAuth}, 401),
 * a foreign {@code Origin} on a state-changing method (403:
 * a web page the user visits must not append on their behalf; no CORS headers are ever sent), and
 * {@code Content-Type: application/json} on a POST (415: a form or text/plain body is what a browser
 * sends cross-origin without a preflight).
 */
public final class HttpGuard extends Filter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final HttpAuth auth;

    public HttpGuard(HttpAuth auth) {
        this.auth = auth;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String method = exchange.getRequestMethod();
        String path;
        try {
            path = exchange.getRequestURI().getPath();
        } catch (IllegalArgumentException e) {
            // the server passed on a request line java.net.URI cannot parse (a malformed %-escape, a raw '{')
            JsonError.send(exchange, 400, "bad_request", "the request URI is not valid (" + reason(e)
                    + "): percent-encode the query's reserved characters, as in ?query=%7B...%7D");
            return;
        }
        if (auth.required(path) && !authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            JsonError.send(exchange, 401, "unauthorized", "this server needs Authorization: Bearer <token>");
            return;
        }
        if (!SAFE_METHODS.contains(method)) {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null && !sameOrigin(origin, exchange.getRequestHeaders().getFirst("Host"))) {
                JsonError.send(exchange, 403, "forbidden_origin", "cross-origin " + method + " requests are refused (Origin "
                        + origin + " is not this server)");
                return;
            }
            if (method.equals("POST") && !isJson(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                JsonError.send(exchange, 415, "unsupported_media_type",
                        "the body must be Content-Type: application/json, got " + exchange.getRequestHeaders().getFirst("Content-Type"));
                return;
            }
        }
        chain.doFilter(exchange);
    }

    /** URI.create's reason, without the index and URI it adds: those are of the URL the server rebuilt, not the client's. */
    private static String reason(IllegalArgumentException e) {
        return e.getCause() instanceof URISyntaxException syntax ? syntax.getReason() : String.valueOf(e.getMessage());
    }

    /** Exactly one Authorization header, carrying the token: with two, which one counts would be up to the proxies on the way. */
    private boolean authorized(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Authorization");
        return values != null && values.size() == 1 && auth.accepts(values.get(0));
    }

    /** {@code application/json}, optionally with parameters (a charset); case-insensitive, as media types are. */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    /** The Origin names the host the client addressed (its Host header): http or https, same host and port. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) return false;
        String o = origin.strip().toLowerCase(Locale.ROOT);
        String h = host.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    @Override
    public String description() {
        return "sluice: bearer token, same-origin and JSON content-type checks";
    }
}
