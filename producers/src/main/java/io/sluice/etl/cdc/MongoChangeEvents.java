package io.sluice.etl.cdc;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.debezium.config.Configuration;
import io.debezium.connector.SnapshotRecord;
import io.debezium.connector.mongodb.CollectionId;
import io.debezium.connector.mongodb.MongoDbCollectionSchema;
import io.debezium.connector.mongodb.MongoDbConnectorConfig;
import io.debezium.connector.mongodb.MongoDbOffsetContext;
import io.debezium.connector.mongodb.MongoDbPartition;
import io.debezium.connector.mongodb.MongoDbSchema;
import io.debezium.connector.mongodb.MongoDbTaskContext;
import io.debezium.connector.mongodb.recordemitter.MongoDbChangeRecordEmitter;
import io.debezium.connector.mongodb.recordemitter.MongoDbSnapshotRecordEmitter;
import io.debezium.pipeline.AbstractChangeRecordEmitter;
import io.debezium.pipeline.spi.ChangeRecordEmitter;
import io.debezium.util.Clock;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds MongoDB change events exactly as the Debezium MongoDB connector (3.6) does, with its own
 * code, for the embedded stack, tests and benchmarks where no MongoDB runs.
 *
 * <p>Consumes user documents ({@link BsonDocument}); produces Kafka Connect {@link SourceRecord}s
 * on {@code cdc.<db>.users}: snapshot reads ({@code op=r}), creates ({@code c}), updates ({@code u},
 * with the full document as {@code capture.mode=change_streams_update_full} gives it), deletes
 * ({@code d}) followed by their tombstone.
 *
 * <p>What is Debezium's code: the connector config ({@link MongoDbConnectorConfig}), the topic naming
 * strategy, {@link MongoDbSchema} and {@link MongoDbCollectionSchema} (key and envelope schemas, the
 * key's and {@code after}'s extended-JSON text), the offset context and {@code SourceInfo} with its
 * struct maker (the {@code source} block), and the record emitters {@link MongoDbSnapshotRecordEmitter}
 * and {@link MongoDbChangeRecordEmitter} (op, ts_ms, updateDescription). What is sluice's: the
 * {@link ChangeStreamDocument}s a change stream would deliver (built with the MongoDB driver's own
 * class, as a server would send them: cluster time, wall time, resume token, update description),
 * and wrapping the emitted key and value into a SourceRecord plus the delete's tombstone, the few
 * lines of Debezium's EventDispatcher receivers, which need a running task to instantiate.
 *
 * <p>Not thread-safe: like a connector task, one instance emits one ordered stream of events.
 */
public final class MongoChangeEvents {

    /** The Debezium topic prefix: topics are {@code cdc.<db>.<collection>}. */
    public static final String TOPIC_PREFIX = "cdc";
    public static final String COLLECTION = "users";

    private final MongoDbConnectorConfig config;
    private final MongoDbCollectionSchema schema;
    private final MongoDbPartition partition;
    private final MongoDbOffsetContext offset;
    private final CollectionId collectionId;
    private final String topic;
    private final Clock clock;
    private int increment;

    /**
     * @param database the MongoDB database the users collection lives in
     * @param clock    Debezium's clock, for the events' ts_ms and the simulated cluster time
     */
    public MongoChangeEvents(String database, Clock clock) {
        this.clock = clock;
        this.collectionId = new CollectionId(database, COLLECTION);
        Configuration configuration = Configuration.from(connectorConfig(database));
        this.config = new MongoDbConnectorConfig(configuration);
        MongoDbSchema mongoSchema = new MongoDbSchema(config, new MongoDbTaskContext(configuration),
                config.getTopicNamingStrategy(MongoDbConnectorConfig.TOPIC_NAMING_STRATEGY),
                config.getSourceInfoStructMaker().schema(), config.schemaNameAdjuster());
        this.schema = (MongoDbCollectionSchema) mongoSchema.schemaFor(collectionId);
        this.topic = config.getTopicNamingStrategy(MongoDbConnectorConfig.TOPIC_NAMING_STRATEGY).dataChangeTopic(collectionId);
        this.partition = new MongoDbPartition(config.getLogicalName());
        this.offset = MongoDbOffsetContext.empty(config);
    }

    /**
     * The connector settings the embedded events are built with; the event-shaping ones (topic
     * prefix, capture mode, tombstones) equal connect-config's connector JSON, which its test checks.
     */
    public static Map<String, String> connectorConfig(String database) {
        return Map.of(
                "name", "sluice-embedded-" + database,
                "topic.prefix", TOPIC_PREFIX,
                // never connected to: the embedded path has no MongoDB, only Debezium's event code
                "mongodb.connection.string", "mongodb://embedded.invalid:27017/?replicaSet=rs0",
                "collection.include.list", database + "." + COLLECTION,
                "capture.mode", "change_streams_update_full",
                "snapshot.mode", "initial",
                "tombstones.on.delete", "true",
                "schema.name.adjustment.mode", "avro");
    }

    /** {@code cdc.<db>.users}, as Debezium's topic naming strategy names it. */
    public String topic() {
        return topic;
    }

    /**
     * A snapshot of the collection, as Debezium's initial snapshot emits it: one read event per
     * document, the last one marked as the snapshot's last record.
     */
    public List<SourceRecord> snapshot(List<BsonDocument> documents) {
        offset.initFromOpTimeIfNeeded(nextClusterTime());
        offset.sourceInfo().startInitialSnapshot();
        List<SourceRecord> out = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            if (i == documents.size() - 1) offset.markSnapshotRecord(SnapshotRecord.LAST);
            offset.readEvent(collectionId, clock.currentTime());
            emit(new MongoDbSnapshotRecordEmitter(partition, offset, clock, documents.get(i), config), out);
        }
        offset.sourceInfo().stopInitialSnapshot();
        offset.markSnapshotRecord(SnapshotRecord.FALSE);
        return out;
    }

    /** An insert of {@code document}. */
    public SourceRecord insert(BsonDocument document) {
        return only(change("insert", document, keyOf(document), null));
    }

    /** An update from {@code before} to {@code after}: the full document plus what changed. */
    public SourceRecord update(BsonDocument before, BsonDocument after) {
        return only(change("update", after, keyOf(after), UpdateDescriptions.between(before, after)));
    }

    /** A delete of the document with {@code _id} {@code id}: the delete event, then its tombstone. */
    public List<SourceRecord> delete(BsonDocument documentKey) {
        return change("delete", null, documentKey, null);
    }

    /** The {@code {_id: …}} document key MongoDB reports for {@code document}. */
    public static BsonDocument keyOf(BsonDocument document) {
        if (!document.containsKey("_id")) throw new IllegalArgumentException("document has no _id: " + document.toJson());
        return new BsonDocument("_id", document.get("_id"));
    }

    private List<SourceRecord> change(String operation, BsonDocument fullDocument, BsonDocument documentKey,
                                      com.mongodb.client.model.changestream.UpdateDescription updateDescription) {
        BsonTimestamp clusterTime = nextClusterTime();
        BsonDocument resumeToken = new BsonDocument("_data", new BsonString("82" + String.format("%016X", clusterTime.getValue())
                + "2B042C0100296E5A1004"));
        BsonDocument namespace = new BsonDocument("db", new BsonString(collectionId.dbName()))
                .append("coll", new BsonString(collectionId.name()));
        ChangeStreamDocument<BsonDocument> event = new ChangeStreamDocument<>(operation, resumeToken, namespace, "collection",
                null, fullDocument, null, documentKey, clusterTime, updateDescription, null, null,
                new BsonDateTime(clock.currentTimeInMillis()), null, null);
        offset.changeStreamEvent(event);
        List<SourceRecord> out = new ArrayList<>(2);
        emit(new MongoDbChangeRecordEmitter(partition, offset, clock, event, config), out);
        return out;
    }

    private BsonTimestamp nextClusterTime() {
        return new BsonTimestamp((int) (clock.currentTimeInMillis() / 1000), ++increment);
    }

    private void emit(AbstractChangeRecordEmitter<MongoDbPartition, MongoDbCollectionSchema> emitter, List<SourceRecord> out) {
        ChangeRecordEmitter.Receiver<MongoDbPartition> receiver = (p, collectionSchema, operation, key, value, offsetContext, headers) -> {
            // As EventDispatcher's receivers build the record, and follow a delete with its tombstone.
            SourceRecord record = new SourceRecord(p.getSourcePartition(), offsetContext.getOffset(), topic, null,
                    collectionSchema.keySchema(), key, collectionSchema.getEnvelopeSchema().schema(), value, null, headers);
            out.add(record);
            if (operation == io.debezium.data.Envelope.Operation.DELETE && config.isEmitTombstoneOnDelete()) {
                out.add(record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                        null, null, record.timestamp(), record.headers()));
            }
        };
        try {
            emitter.emitChangeRecords(schema, receiver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while emitting a change event", e);
        }
    }

    private static SourceRecord only(List<SourceRecord> records) {
        if (records.size() != 1) throw new IllegalStateException("expected one change event, Debezium emitted " + records.size());
        return records.get(0);
    }
}
