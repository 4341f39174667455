package io.sluice.schemas.topics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every topic name sluice uses, in one place. Constants only: a topic's name is part of the
 * deployed system's contract (consumer offsets, ACLs, the registry subjects derive from it).
 */
public final class TopicNames {

    public static final String BACKFILL_DIDS = "backfill.dids";
    public static final String BACKFILL_RESOLVED = "backfill.resolved";
    public static final String BACKFILL_FETCH = "backfill.fetch";
    public static final String BACKFILL_RECORDS = "backfill.records";
    public static final String BACKFILL_STATUS = "backfill.status";
    public static final String BACKFILL_RATELIMIT = "backfill.ratelimit";
    /**
     * FetchTasks a fetcher sends back to the rate limiter (expired, throttled or failed and to be
     * retried), keyed by PDS host like backfill.resolved, with which it must be co-partitioned.
     */
    public static final String BACKFILL_RETRY = "backfill.retry";
    public static final String ETL_USER_ROWS = "etl.user-rows";
    public static final String DCB_COMMANDS = "dcb.commands";
    public static final String DCB_EVENTS = "dcb.events";
    public static final String DCB_RESULTS = "dcb.results";

    public static final String BACKFILL_DLQ = "backfill.dlq";
    public static final String ETL_DLQ = "etl.dlq";
    public static final String DCB_DLQ = "dcb.dlq";

    /** Debezium's change-event topics for the users collection: {@code cdc.<db>.users}. */
    public static final String CDC_USERS_TEMPLATE = "cdc.<db>.users";
    /** Matches every {@code cdc.<db>.users} topic, for a pattern subscription of the flattener. */
    public static final Pattern CDC_USERS_PATTERN = Pattern.compile("cdc\\.[^.]+\\.users");

    /** The ten Avro topics of the three workloads (not the DLQs, not the CDC input). */
    public static final List<String> STAGE_TOPICS = List.of(BACKFILL_DIDS, BACKFILL_RESOLVED, BACKFILL_FETCH,
            BACKFILL_RECORDS, BACKFILL_STATUS, BACKFILL_RATELIMIT, ETL_USER_ROWS, DCB_COMMANDS, DCB_EVENTS, DCB_RESULTS);

    private TopicNames() {
    }

    /** {@code cdc.<database>.users}: the Debezium topic of the users collection of one MongoDB database. */
    public static String cdcUsers(String database) {
        if (database == null || database.isEmpty() || database.contains(".")) {
            throw new IllegalArgumentException("database name must be non-empty and contain no '.', got '" + database + "'");
        }
        return "cdc." + database + ".users";
    }

    /**
     * The dead-letter topic for records that fail in a stage reading {@code stageTopic}: one DLQ per
     * workload, named by the topic's first segment. CDC topics belong to the ETL workload.
     */
    public static String dlqOf(String stageTopic) {
        String workload = stageTopic == null ? "" : stageTopic.substring(0, Math.max(0, stageTopic.indexOf('.')));
        return switch (workload) {
            case "backfill" -> BACKFILL_DLQ;
            case "etl", "cdc" -> ETL_DLQ;
            case "dcb" -> DCB_DLQ;
            default -> throw new IllegalArgumentException("topic '" + stageTopic + "' belongs to no sluice workload;"
                    + " allowed prefixes: backfill., etl., cdc., dcb.");
        };
    }
}
