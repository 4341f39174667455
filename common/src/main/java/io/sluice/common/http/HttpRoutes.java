package io.sluice.common.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Jetty handler under every {@link HttpListener}: finds the route whose path is the longest prefix
 * of the request's (as the JDK's server does), and runs its filters and {@link HttpHandler} on a thread
 * of {@code exchanges} (a virtual thread each). It is non-blocking for Jetty, which then parses
 * requests on its selector thread and hands over only whole headers: a blocking handler would have a
 * thread dispatched for every read, and a client trickling a byte every 100 ms costs one per byte.
 * A handler that fails after its answer started gets the connection dropped, without the last chunk:
 * a client must not take a truncated answer for a whole one.
 */
final class HttpRoutes extends Handler.Abstract.NonBlocking {

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Executor exchanges;

    HttpRoutes(Executor exchanges) {
        this.exchanges = exchanges;
    }

    HttpContext add(String path, HttpHandler handler) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("a route's path starts with /: " + path);
        if (routes.stream().anyMatch(r -> r.path.equals(path))) throw new IllegalArgumentException("already routed: " + path);
        Route route = new Route(path, handler);
        routes.add(route);
        return route;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = find(request.getHttpURI().getDecodedPath());
        if (route == null) return false; // Jetty's 404, through JsonErrorHandler
        try {
            exchanges.execute(() -> serve(route, request, response, callback));
        } catch (RejectedExecutionException e) {
            Response.writeError(request, response, callback, 503, "the server is stopping");
        }
        return true;
    }

    private Route find(String path) {
        Route found = null;
        for (Route r : routes) {
            if (path.startsWith(r.path) && (found == null || r.path.length() > found.path.length())) found = r;
        }
        return found;
    }

    private static void serve(Route route, Request request, Response response, Callback callback) {
        JettyExchange exchange = new JettyExchange(route, request, response);
        try {
            new Filter.Chain(route.filters, route.handler).doFilter(exchange);
            exchange.close();
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            if (exchange.headersSent()) callback.failed(e); // drops the connection: the answer stays unfinished
            else Response.writeError(request, response, callback, e);
        }
    }

    /** A route, as the JDK's API names it. */
    private static final class Route extends HttpContext {
        private final String path;
        private final HttpHandler handler;
        private final List<Filter> filters = new CopyOnWriteArrayList<>();
        private final Map<String, Object> attributes = new HashMap<>();

        Route(String path, HttpHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler h) {
            throw new UnsupportedOperationException("a route's handler is given when it is added");
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public HttpServer getServer() {
            throw new UnsupportedOperationException("a sluice route has no JDK server; see HttpListener");
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public List<Filter> getFilters() {
            return filters;
        }

        @Override
        public Authenticator setAuthenticator(Authenticator auth) {
            throw new UnsupportedOperationException("authentication is HttpGuard's");
        }

        @Override
        public Authenticator getAuthenticator() {
            return null;
        }
    }
}
