package io.sluice.schemas.topics;

import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.serde.AvroSerdes;

import java.util.List;

/**
 * The catalog of sluice's Avro topics: each one's name, key type and value type, with serdes bound
 * to one registry client. Immutable; build it once per application from its registry settings.
 * Keys are Avro primitives registered under {@code <topic>-key}, values records under
 * {@code <topic>-value}.
 */
public final class Topics {

    /**
     * The key of every dcb.commands record: one fixed key puts all commands on one partition, so a
     * single decider orders every append against one consistent index (see AppendCommand's doc).
     */
    public static final String DCB_COMMAND_KEY = "dcb";

    private final AvroSerdes serdes;
    private final Topic<String, DidWorkItem> backfillDids;
    private final Topic<String, ResolvedDid> backfillResolved;
    private final Topic<String, FetchTask> backfillFetch;
    private final Topic<String, RepoRecord> backfillRecords;
    private final Topic<String, DidStatus> backfillStatus;
    private final Topic<String, RateLimitSignal> backfillRateLimit;
    private final Topic<String, FetchTask> backfillRetry;
    private final Topic<Long, UserRows> etlUserRows;
    private final Topic<String, AppendCommand> dcbCommands;
    private final Topic<Long, Event> dcbEvents;
    private final Topic<String, AppendResult> dcbResults;

    public Topics(AvroSerdes serdes) {
        this.serdes = serdes;
        this.backfillDids = new Topic<>(TopicNames.BACKFILL_DIDS, serdes.stringKey(), serdes.specificValue(DidWorkItem.class));
        this.backfillResolved = new Topic<>(TopicNames.BACKFILL_RESOLVED, serdes.stringKey(), serdes.specificValue(ResolvedDid.class));
        this.backfillFetch = new Topic<>(TopicNames.BACKFILL_FETCH, serdes.stringKey(), serdes.specificValue(FetchTask.class));
        this.backfillRecords = new Topic<>(TopicNames.BACKFILL_RECORDS, serdes.stringKey(), serdes.specificValue(RepoRecord.class));
        this.backfillStatus = new Topic<>(TopicNames.BACKFILL_STATUS, serdes.stringKey(), serdes.specificValue(DidStatus.class));
        this.backfillRateLimit = new Topic<>(TopicNames.BACKFILL_RATELIMIT, serdes.stringKey(),
                serdes.specificValue(RateLimitSignal.class));
        this.backfillRetry = new Topic<>(TopicNames.BACKFILL_RETRY, serdes.stringKey(), serdes.specificValue(FetchTask.class));
        this.etlUserRows = new Topic<>(TopicNames.ETL_USER_ROWS, serdes.longKey(), serdes.specificValue(UserRows.class));
        this.dcbCommands = new Topic<>(TopicNames.DCB_COMMANDS, serdes.stringKey(), serdes.specificValue(AppendCommand.class));
        this.dcbEvents = new Topic<>(TopicNames.DCB_EVENTS, serdes.longKey(), serdes.specificValue(Event.class));
        this.dcbResults = new Topic<>(TopicNames.DCB_RESULTS, serdes.stringKey(), serdes.specificValue(AppendResult.class));
    }

    /** The catalog over {@code client}; see {@link AvroSerdes#AvroSerdes} for {@code autoRegister}. */
    public static Topics create(SchemaRegistryClient client, boolean autoRegister) {
        return new Topics(new AvroSerdes(client, autoRegister));
    }

    /** The catalog over an HTTP client for the configured registry. */
    public static Topics fromConfig(AvroSerdeConfig config) {
        return new Topics(AvroSerdes.fromConfig(config));
    }

    /** The serdes the topics use, for intermediate or ad-hoc topics. */
    public AvroSerdes serdes() {
        return serdes;
    }

    public Topic<String, DidWorkItem> backfillDids() {
        return backfillDids;
    }

    public Topic<String, ResolvedDid> backfillResolved() {
        return backfillResolved;
    }

    public Topic<String, FetchTask> backfillFetch() {
        return backfillFetch;
    }

    public Topic<String, RepoRecord> backfillRecords() {
        return backfillRecords;
    }

    public Topic<String, DidStatus> backfillStatus() {
        return backfillStatus;
    }

    public Topic<String, RateLimitSignal> backfillRateLimit() {
        return backfillRateLimit;
    }

    /**
     * backfill.retry: FetchTasks keyed by PDS host, returned by fetchers to the rate limiter. Not in
     * {@link #all()}: it is the rate limiter's second input, not a stage of its own.
     */
    public Topic<String, FetchTask> backfillRetry() {
        return backfillRetry;
    }

    public Topic<Long, UserRows> etlUserRows() {
        return etlUserRows;
    }

    public Topic<String, AppendCommand> dcbCommands() {
        return dcbCommands;
    }

    public Topic<Long, Event> dcbEvents() {
        return dcbEvents;
    }

    public Topic<String, AppendResult> dcbResults() {
        return dcbResults;
    }

    /** The ten topics, in {@link TopicNames#STAGE_TOPICS} order. */
    public List<Topic<?, ?>> all() {
        return List.of(backfillDids, backfillResolved, backfillFetch, backfillRecords, backfillStatus, backfillRateLimit,
                etlUserRows, dcbCommands, dcbEvents, dcbResults);
    }
}
