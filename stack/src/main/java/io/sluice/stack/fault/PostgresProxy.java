package io.sluice.stack.fault;

import io.sluice.stack.PostgresEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that a fault test controls: components get {@link #endpoint()}
 * (the same database through the proxy's port); {@link #outage} cuts every open connection and closes
 * each new one at once until it heals, which a JDBC client sees as the server going away and refusing
 * to come back, as during a PostgreSQL restart or a network partition.
 */
public final class PostgresProxy implements AutoCloseable {

    private final PostgresEndpoint target;
    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean closed;

    private PostgresProxy(PostgresEndpoint target, InetSocketAddress upstream, ServerSocket server) {
        this.target = target;
        this.upstream = upstream;
        this.server = server;
        Thread.ofVirtual().name("postgres-proxy-accept").start(this::accept);
    }

    /** A proxy on a free loopback port forwarding to {@code target}'s server. */
    public static PostgresProxy start(PostgresEndpoint target) {
        URI uri = URI.create(target.jdbcUrl().substring("jdbc:".length()));
        InetSocketAddress upstream = new InetSocketAddress(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort());
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new PostgresProxy(target, upstream, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The target's database, user and password, reached through the proxy. */
    public PostgresEndpoint endpoint() {
        URI uri = URI.create(target.jdbcUrl().substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new PostgresEndpoint("jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + uri.getRawPath() + query,
                target.user(), target.password());
    }

    /**
     * Cuts every open connection, refuses new ones for {@code duration}, then heals; returns how many
     * connections were cut and how many attempts refused.
     */
    public Outage outage(Duration duration) throws InterruptedException {
        down = true;
        int refusedBefore = refused.get();
        int cut = open.size() / 2; // a client socket and its server socket each
        for (Socket s : open) closeQuietly(s);
        try {
            Thread.sleep(duration.toMillis());
        } finally {
            down = false;
        }
        return new Outage(cut, refused.get() - refusedBefore);
    }

    /** What one {@link #outage} did: connections cut at its start, connection attempts refused during it. */
    public record Outage(int cut, int refused) {
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket s : open) closeQuietly(s);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            if (down) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().name("postgres-proxy-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server;
        try {
            server = new Socket();
            server.connect(upstream, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(server);
        if (down) { // the outage began while connecting
            refused.incrementAndGet();
            closeQuietly(client);
            closeQuietly(server);
        }
        Thread.ofVirtual().name("postgres-proxy-up").start(() -> pump(client, server));
        Thread.ofVirtual().name("postgres-proxy-down").start(() -> pump(server, client));
    }

    /** Copies until either side ends, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away or the outage closed it
        } finally {
            open.remove(from);
            open.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a socket on purpose; nothing to do
        }
    }
}
