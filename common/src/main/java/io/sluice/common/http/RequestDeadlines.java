package io.sluice.common.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link HttpLimits#requestTime()}: closes a connection whose request is not in within the request
 * time. Jetty's idle timeout alone is no such limit: a client sending a byte every few seconds is never
 * idle, and 8 KiB of headers at that pace last hours. So every tick this looks at each connection's
 * parser: a request is being read from its first byte (the accept, for a connection's first request)
 * until its headers are in, and again until its body is; each of the two gets the request time. A
 * connection between requests is the idle timeout's, and one whose request is in (a long read being
 * answered) is not limited at all.
 */
final class RequestDeadlines extends AbstractLifeCycle implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

    private record Reading(long requests, long sinceMillis) {
    }

    private final ServerConnector connector;
    private final long limitMillis;
    private final long tickMillis;
    /** Touched only by the connector's scheduler thread, which runs every tick. */
    private final Map<EndPoint, Reading> reading = new HashMap<>();

    RequestDeadlines(ServerConnector connector, Duration limit) {
        this.connector = connector;
        this.limitMillis = limit.toMillis();
        this.tickMillis = Math.clamp(limitMillis / 4, 50, 1000);
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    public void run() {
        if (!isRunning()) return;
        try {
            sweep(System.currentTimeMillis());
        } finally {
            schedule();
        }
    }

    private void schedule() {
        connector.getScheduler().schedule(this, tickMillis, TimeUnit.MILLISECONDS);
    }

    void sweep(long nowMillis) {
        Set<EndPoint> open = new HashSet<>(connector.getConnectedEndPoints());
        reading.keySet().retainAll(open);
        for (EndPoint endPoint : open) {
            // the parser's state is only in Jetty's HttpConnection (an internal class, but public)
            if (!(endPoint.getConnection() instanceof HttpConnection http)) continue;
            HttpParser parser = http.getParser();
            boolean betweenRequests = parser.isStart() && http.getBytesIn() > 0;
            if (betweenRequests || parser.isState(HttpParser.State.END) || parser.isClose() || parser.isClosed()) {
                reading.remove(endPoint);
                continue;
            }
            long requests = http.getMessagesIn(); // counts a request when its headers are in
            Reading r = reading.get(endPoint);
            if (r == null || r.requests() != requests) {
                r = new Reading(requests, requests == 0 ? endPoint.getCreatedTimeStamp() : nowMillis);
                reading.put(endPoint, r);
            }
            if (nowMillis - r.sinceMillis() > limitMillis) {
                log.debug("closing {}: its request is not in after {} ms", endPoint.getRemoteSocketAddress(), limitMillis);
                reading.remove(endPoint);
                endPoint.close();
            }
        }
    }
}
