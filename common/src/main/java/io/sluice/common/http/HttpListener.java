package io.sluice.common.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One sluice HTTP listener: handlers written against the JDK's {@code com.sun.net.httpserver} API
 * ({@link HttpHandler}, filters), served by Jetty. The JDK's own server parses the request line before
 * any handler or filter runs, and answers what it cannot parse ({@code /read?query=%zz}) with an HTML
 * page; Jetty hands such a request on ({@link HttpGuard} answers it), and answers its own errors
 * through {@link JsonErrorHandler}. Every exchange runs on a virtual thread of its own, so a request
 * waiting for Kafka or PostgreSQL holds no platform thread. {@link HttpLimits} are kept by Jetty's
 * idle timeout, {@link RequestDeadlines} and {@link ConnectionCap}.
 */
public final class HttpListener implements AutoCloseable {

    private final Server jetty;
    private final ServerConnector connector;
    private final HttpRoutes routes;
    private final ExecutorService exchanges;

    private HttpListener(Server jetty, ServerConnector connector, HttpRoutes routes, ExecutorService exchanges) {
        this.jetty = jetty;
        this.connector = connector;
        this.routes = routes;
        this.exchanges = exchanges;
    }

    /**
     * Binds {@code host:port} (0: any free port) now, so a port in use is an error here; serves once
     * {@link #start()}ed. {@code backlog}: connections the kernel queues before they are accepted.
     */
    public static HttpListener bind(String host, int port, int backlog, HttpLimits limits) {
        ExecutorService exchanges = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-http-", 0).factory());
        QueuedThreadPool pool = new QueuedThreadPool(); // Jetty's acceptor and selector threads; exchanges run on virtual ones
        pool.setName("sluice-http");
        Server jetty = new Server(pool);
        HttpRoutes routes = new HttpRoutes(exchanges);
        jetty.setHandler(routes);
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(1000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(backlog);
        connector.setIdleTimeout(limits.idleTime().toMillis());
        connector.addBean(new ConnectionCap(limits.maxConnections()));
        connector.addBean(new RequestDeadlines(connector, limits.requestTime()));
        jetty.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            exchanges.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new HttpListener(jetty, connector, routes, exchanges);
    }

    /** As {@link #bind(String, int, int, HttpLimits)} with the limits the system properties set. */
    public static HttpListener bind(String host, int port, int backlog) {
        return bind(host, port, backlog, HttpLimits.fromSystemProperties());
    }

    /** Routes {@code path} and everything under it to {@code handler}; the longest matching path wins. */
    public HttpContext route(String path, HttpHandler handler) {
        return routes.add(path, handler);
    }

    public void start() {
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot start the HTTP listener on " + address() + ": " + e.getMessage(), e);
        }
    }

    /** The address it listens on, with the port it bound. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, gives running exchanges a second, then interrupts what is left. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping is best effort: what is left is interrupted below
        } finally {
            exchanges.shutdownNow();
        }
    }
}
