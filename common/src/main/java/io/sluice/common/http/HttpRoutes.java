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

/**
 * The Jetty handler under every {@link HttpListener}: finds the route whose path is the longest prefix
 * of the request's (as the JDK's server does), and runs its filters and {@link HttpHandler} on the
 * request's own (virtual) thread. A handler that fails after its answer started gets the connection
 * dropped, without the last chunk: a client must not take a truncated answer for a whole one.
 */
final class HttpRoutes extends Handler.Abstract {

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    HttpContext add(String path, HttpHandler handler) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("a route's path starts with /: " + path);
        if (routes.stream().anyMatch(r -> r.path.equals(path))) throw new IllegalArgumentException("already routed: " + path);
        Route route = new Route(path, handler);
        routes.add(route);
        return route;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        Route route = null;
        for (Route r : routes) {
            if (path.startsWith(r.path) && (route == null || r.path.length() > route.path.length())) route = r;
        }
        if (route == null) return false; // Jetty's 404, through JsonErrorHandler
        JettyExchange exchange = new JettyExchange(route, request, response);
        try {
            new Filter.Chain(route.filters, route.handler).doFilter(exchange);
            exchange.close();
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            if (exchange.headersSent()) callback.failed(e); // drops the connection: the answer stays unfinished
            else Response.writeError(request, response, callback, e);
        }
        return true;
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
