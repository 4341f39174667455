package io.sluice.ops.replay;

import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.dcb.decider.DeciderConfig;
import io.sluice.dcb.decider.DeciderStores;
import io.sluice.etl.flatten.FlattenerConfig;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Telling a Streams application id from a plain consumer group, offline (a replay runs only while the
 * group has no members, so the broker cannot tell from its members' assignor). The rule: the id is one
 * of sluice's application ids, or topics {@code <id>-...-changelog} / {@code <id>-...-repartition}
 * exist (Kafka Streams names its internal topics so; a stateless app without repartitioning has none,
 * and is then reset as a plain group, which for it is the same thing).
 */
public final class StreamsApps {

    public static final Set<String> KNOWN_IDS = Set.of(RateLimiterConfig.DEFAULT_APPLICATION_ID,
            FlattenerConfig.DEFAULT_APPLICATION_ID, DeciderConfig.DEFAULT_APPLICATION_ID);

    private StreamsApps() {
    }

    /** The application's changelog and repartition topics among {@code topics}, sorted. */
    public static List<String> internalTopics(String applicationId, Collection<String> topics) {
        return topics.stream()
                .filter(t -> t.startsWith(applicationId + "-") && (t.endsWith("-changelog") || t.endsWith("-repartition")))
                .sorted().toList();
    }

    /**
     * Whether {@code applicationId} is a DCB decider: sluice's decider id, or an application with the
     * changelog of the decider's log store among {@code internalTopics}.
     */
    public static boolean isDecider(String applicationId, Collection<String> internalTopics) {
        return applicationId.equals(DeciderConfig.DEFAULT_APPLICATION_ID)
                || internalTopics.contains(applicationId + "-" + DeciderStores.EVENTS_BY_POSITION + "-changelog");
    }

    public static boolean isStreamsApp(String groupId, Collection<String> topics) {
        return KNOWN_IDS.contains(groupId) || !internalTopics(groupId, topics).isEmpty();
    }
}
