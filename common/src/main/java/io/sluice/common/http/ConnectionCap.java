package io.sluice.common.http;

import org.eclipse.jetty.io.Connection;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes a connection as soon as it is accepted when {@link HttpLimits#maxConnections()} are already
 * open, so the client learns at once (Jetty's own limit stops accepting instead, leaving clients
 * waiting in the kernel's backlog with no answer).
 */
final class ConnectionCap implements Connection.Listener {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        if (open.incrementAndGet() > max) connection.getEndPoint().close();
    }

    @Override
    public void onClosed(Connection connection) {
        open.decrementAndGet();
    }
}
