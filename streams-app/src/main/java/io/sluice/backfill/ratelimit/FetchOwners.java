package io.sluice.backfill.ratelimit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which partitions of the fetch topic a member of the fetchers' consumer group owns, as the group
 * coordinator says (Admin {@code describeConsumerGroups}, every {@link #REFRESH}). A task released to a
 * partition nobody owns waits there until a fetcher is assigned it, and its deadline (well under a
 * second) passes: it comes back expired and its token was spent for nothing. So the limiter releases
 * nothing while no partition has an owner (a fetcher starting, the group between members), and sends
 * each task to an owned partition whose owner has held it for {@link #SETTLE} (see {@link SettledOwners};
 * {@link #partitioner()}: the DID's hash over those partitions, since no consumer relies on where a DID's
 * task lands).
 *
 * <p>{@link #ANY} observes no group: every partition, always (a limiter whose fetchers' group is not
 * known). The view may lag the group by one refresh; a member killed is an owner until the group
 * drops it (its session timeout).
 */
public final class FetchOwners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchOwners.class);
    static final Duration REFRESH = Duration.ofMillis(500);
    /** How long a partition's new owner gets to start consuming before tasks go to it (see {@link SettledOwners}). */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);

    /** No group observed: tasks go to any partition, releases never wait. */
    public static final FetchOwners ANY = new FetchOwners(null, null, null);

    private final Admin admin;
    private final String group;
    private final String topic;
    private final ScheduledExecutorService timer;
    /** Sorted; empty while no member owns a partition of the topic. */
    private volatile int[] owned = new int[0];
    private final SettledOwners settled = new SettledOwners(SETTLE.toMillis());
    private long lastWarning;

    private FetchOwners(Admin admin, String group, String topic) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.timer = admin == null ? null : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sluice-fetch-owners").factory());
    }

    /** Observes {@code group}'s owners of {@code topic} until closed; closes {@code admin} with it. */
    public static FetchOwners observe(Admin admin, String group, String topic) {
        FetchOwners owners = new FetchOwners(admin, group, topic);
        owners.refresh();
        owners.timer.scheduleWithFixedDelay(owners::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        return owners;
    }

    /** Whether a task released now has a fetcher to take it. */
    public boolean anyOwned() {
        return admin == null || owned.length > 0;
    }

    /** Sends a task (keyed by DID) to an owned partition; the default partitioning when none is known. */
    public StreamPartitioner<String, Object> partitioner() {
        return (t, did, task, partitions) -> {
            int[] now = owned;
            if (admin == null || did == null || now.length == 0) return Optional.empty();
            int hash = Utils.toPositive(Utils.murmur2(did.getBytes(StandardCharsets.UTF_8)));
            int p = now[hash % now.length];
            return p < partitions ? Optional.of(Set.of(p)) : Optional.empty();
        };
    }

    private void refresh() {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(Set.of(group)).describedGroups().get(group)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, String> partitions = new HashMap<>();
            for (MemberDescription m : d.members()) {
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.topic().equals(topic)) partitions.put(tp.partition(), m.consumerId());
                }
            }
            set(settled.update(partitions, System.currentTimeMillis()), !partitions.isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                set(settled.update(Map.of(), System.currentTimeMillis()), false);
            } else {
                warn("cannot describe the fetchers' group " + group + " (keeping what it was): " + e.getCause());
            }
        } catch (TimeoutException e) {
            warn("describing the fetchers' group " + group + " timed out (keeping what it was)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the timer would stop refreshing for good on an exception
            warn("cannot describe the fetchers' group " + group + ": " + e);
        }
    }

    /** @param anyHeld whether a member holds a partition at all (settled or not), for the messages */
    private void set(int[] now, boolean anyHeld) {
        if (now.length == 0 && owned.length > 0) {
            log.info("no member of {} owns a partition of {}: releases wait for one", group, topic);
        } else if (now.length == 0 && !anyHeld) {
            warn("no member of " + group + " owns a partition of " + topic + ": releases wait for one");
        }
        owned = now;
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > WARN_EVERY.toNanos()) {
            lastWarning = now;
            log.warn(message);
        }
    }

    @Override
    public void close() {
        if (admin == null) return;
        timer.shutdownNow();
        admin.close(TIMEOUT);
    }
}
