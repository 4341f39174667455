package io.sluice.ops.monitor;

import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.dcb.decider.DeciderConfig;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.sinks.etl.EtlSink;

import java.util.List;
import java.util.Objects;

import static io.sluice.schemas.topics.TopicNames.BACKFILL_DIDS;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_FETCH;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_RATELIMIT;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_RECORDS;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_RESOLVED;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_RETRY;
import static io.sluice.schemas.topics.TopicNames.BACKFILL_STATUS;
import static io.sluice.schemas.topics.TopicNames.DCB_COMMANDS;
import static io.sluice.schemas.topics.TopicNames.DCB_EVENTS;
import static io.sluice.schemas.topics.TopicNames.DCB_RESULTS;
import static io.sluice.schemas.topics.TopicNames.ETL_USER_ROWS;

/**
 * A workload as a fixed list of stages, in the order records flow (topic → group → topic …). The
 * monitor draws what it is given; {@link #defaults()} are the three sluice workloads with their
 * default topic names and group ids.
 *
 * @param id     stable key for the page ({@code backfill}, {@code etl}, {@code dcb})
 * @param title  heading
 * @param stages in flow order
 */
public record Workload(String id, String title, List<Stage> stages) {

    public Workload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        stages = List.copyOf(stages);
    }

    /** The three workloads as sluice deploys them by default. */
    public static List<Workload> defaults() {
        return List.of(
                new Workload("backfill", "Bluesky backfill", List.of(
                        new Stage("resolver", ResolverConfig.DEFAULT_GROUP_ID, List.of(BACKFILL_DIDS),
                                List.of(BACKFILL_RESOLVED, BACKFILL_STATUS)),
                        new Stage("rate limiter", RateLimiterConfig.DEFAULT_APPLICATION_ID,
                                List.of(BACKFILL_RESOLVED, BACKFILL_RETRY, BACKFILL_RATELIMIT), List.of(BACKFILL_FETCH)),
                        new Stage("fetcher", FetcherConfig.DEFAULT_GROUP_ID, List.of(BACKFILL_FETCH),
                                List.of(BACKFILL_RECORDS, BACKFILL_STATUS, BACKFILL_RETRY, BACKFILL_RATELIMIT)),
                        new Stage("records sink", RecordsSink.DEFAULT_GROUP_ID, List.of(BACKFILL_RECORDS, BACKFILL_STATUS),
                                List.of("repo_records", "backfill_dids")))),
                new Workload("etl", "MongoDB → PostgreSQL ETL", List.of(
                        new Stage("flattener", FlattenerConfig.DEFAULT_APPLICATION_ID, List.of("cdc.*.users"),
                                List.of(ETL_USER_ROWS)),
                        new Stage("etl sink", EtlSink.GROUP_ID, List.of(ETL_USER_ROWS), List.of("users + 14 tables")))),
                new Workload("dcb", "DCB event store", List.of(
                        new Stage("decider", DeciderConfig.DEFAULT_APPLICATION_ID, List.of(DCB_COMMANDS),
                                List.of(DCB_EVENTS, DCB_RESULTS)),
                        new Stage("events sink", EventsSink.DEFAULT_GROUP_ID, List.of(DCB_EVENTS), List.of("events")))));
    }
}
