package io.sluice.common.transactions;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Looks for {@link HangingTransactions hanging transactions} on the partitions a transactional
 * application writes, every {@code period}, and aborts each one it finds, with a warning naming it:
 * what an operator would otherwise do by hand with {@code kafka-transactions.sh find-hanging} and
 * {@code abort}, after noticing that the application stopped. A check that fails (the broker down)
 * is logged and tried again at the next period.
 */
public final class HangingTransactionGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactionGuard.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Which partitions to look at, asked again at every check (topics may be created later). */
    @FunctionalInterface
    public interface Partitions {
        Collection<TopicPartition> of(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    private final String name;
    private final Admin admin;
    private final Partitions partitions;
    private final OpenSince openSince;
    private final ScheduledExecutorService timer;
    private final AtomicLong aborted = new AtomicLong();

    private HangingTransactionGuard(String name, Map<String, Object> adminConfig, Partitions partitions, Duration minAge) {
        this.name = name;
        this.admin = Admin.create(adminConfig);
        this.partitions = partitions;
        this.openSince = new OpenSince(minAge);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name(name + "-hanging-transactions").unstarted(r));
    }

    /**
     * Starts checking {@code partitions} every {@code period}; a transaction hangs once every look
     * for {@code minAge} found it open at the same offset and its coordinator does not have it open.
     */
    public static HangingTransactionGuard start(String name, Map<String, Object> adminConfig, Partitions partitions,
                                                Duration minAge, Duration period) {
        HangingTransactionGuard guard = new HangingTransactionGuard(name, adminConfig, partitions, minAge);
        guard.timer.scheduleWithFixedDelay(guard::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return guard;
    }

    /** The transactions this guard aborted. */
    public long aborted() {
        return aborted.get();
    }

    private void check() {
        try {
            List<HangingTransactions.Open> old = openSince.look(HangingTransactions.open(admin, partitions.of(admin),
                    REQUEST_TIMEOUT), System.nanoTime());
            for (HangingTransactions.Open open : HangingTransactions.hanging(admin, old, REQUEST_TIMEOUT)) {
                log.warn("{}: {} has held a transaction open since offset {} for longer than its coordinator would let it"
                                + " (producer {} epoch {}), and the coordinator does not have it open: a hanging transaction,"
                                + " which stops every read_committed reader there; aborting it",
                        name, open.partition(), open.startOffset(), open.producerId(), open.producerEpoch());
                admin.abortTransaction(open.abort()).all().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                aborted.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            log.debug("{}: the check for hanging transactions failed, tried again later: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(1)); // a check in flight is not worth waiting for
    }
}
