package io.sluice.dcb.api;

import io.sluice.common.retry.Backoff;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Follows how far the events sink has committed: LISTENs on the sink's channel on one dedicated
 * PostgreSQL connection, where the sink's writer NOTIFYs the highest position of each batch in the
 * batch's own transaction (so the notification arrives only once the rows are readable), and
 * produces {@link ReadFence#committed}. After (re)connecting, and whenever reads are waiting and
 * no notification came for a while, it asks {@code SELECT max(position)} instead, so a lost
 * connection or a sink started before this listener never leaves a read waiting for a
 * notification that was sent to nobody.
 *
 * <p>Why NOTIFY rather than polling: the fence then costs no query per read, and one notification
 * per sink transaction (a few hundred a second at most) instead of a query every millisecond.
 */
public final class SinkWatermark implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SinkWatermark.class);
    private static final int WAIT_MILLIS = 200;
    private static final Backoff RECONNECT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 2, 0);

    private final DcbApiConfig config;
    private final ReadFence fence;
    private final Thread thread;
    private volatile boolean closed;

    private SinkWatermark(DcbApiConfig config, ReadFence fence) {
        this.config = config;
        this.fence = fence;
        this.thread = new Thread(this::run, "sluice-dcb-sink-watermark");
        this.thread.setDaemon(true);
    }

    public static SinkWatermark start(DcbApiConfig config, ReadFence fence) {
        SinkWatermark watermark = new SinkWatermark(config, fence);
        watermark.thread.start();
        return watermark;
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try (Connection c = connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + config.notifyChannel());
                }
                // After LISTEN: a batch committed in between is seen by one or the other.
                fence.committed(maxPosition(c));
                failures = 0;
                listen(c);
            } catch (SQLException e) {
                if (closed) return;
                long backoff = RECONNECT.delay(++failures).toMillis();
                log.warn("following the events sink's progress failed, reconnecting in {} ms: {}", backoff, e.toString());
                if (!sleep(backoff)) return;
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                for (PGNotification n : notifications) fence.committed(parse(n.getParameter()));
            } else if (fence.committed() < fence.acknowledged()) {
                // Reads are waiting and nothing was announced: look, rather than trust a silence.
                fence.committed(maxPosition(c));
            }
        }
    }

    private long maxPosition(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM " + config.schema() + ".events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            log.warn("ignoring a notification that is not a position: '{}'", payload);
            return 0;
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!config.dbUser().isEmpty()) props.setProperty("user", config.dbUser());
        if (!config.dbPassword().isEmpty()) props.setProperty("password", config.dbPassword());
        props.setProperty("ApplicationName", "sluice-dcb-api-watermark");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
        c.setAutoCommit(true);
        return c;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops listening (within about {@value #WAIT_MILLIS} ms) and closes the connection. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
