package io.sluice.bench.etl;

import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.MongoExtendedJson;
import io.sluice.etl.flatten.UserFlattener;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.etl.baseline.DirectBaseline;
import io.debezium.util.Clock;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the direct baseline starts: what it holds in memory before its clock starts, and the
 * transform its workers apply to each item inside the timed run.
 *
 * <ul>
 *   <li>{@link #extendedJson}: the documents as a MongoDB cursor or change stream hands them over
 *       serialized, the very extended-JSON text the Kafka path's change events carry in {@code after}
 *       (taken from the same Debezium events, as UTF-8 bytes, as the flattener reads them from Avro);
 *       the workers parse them with the flattener's parser ({@link MongoExtendedJson}) and flatten them,
 *       so both paths pay for the extract step.</li>
 *   <li>{@link #bsonDocuments}: the seed design's start, documents already parsed into BSON objects;
 *       the workers only flatten. Kept as a second row: it is the cheapest possible start.</li>
 * </ul>
 */
final class BaselineInput<D> {

    /** A prepared input: run it into the baseline's (prepared) schema. */
    interface Loaded {
        DirectBaseline.Result into(DirectBaseline baseline) throws SQLException;
    }

    static final String EXTENDED_JSON = "direct-jdbc-batch-500-from-extended-json";

    private final String name;
    private final Supplier<List<D>> items;
    private final Function<D, UserRows> transform;

    private BaselineInput(String name, Supplier<List<D>> items, Function<D, UserRows> transform) {
        this.name = name;
        this.items = items;
        this.transform = transform;
    }

    static BaselineInput<byte[]> extendedJson(EtlBenchSettings settings) {
        return new BaselineInput<>(EXTENDED_JSON, () -> afterTexts(settings),
                utf8 -> UserFlattener.flatten(MongoExtendedJson.parseDocument(utf8, 0, utf8.length), Instant.EPOCH));
    }

    static BaselineInput<BsonDocument> bsonDocuments(EtlBenchSettings settings) {
        return new BaselineInput<>(io.sluice.bench.BenchResult.BASELINE_ETL, () -> documents(settings),
                d -> UserFlattener.flatten(d, Instant.EPOCH));
    }

    String name() {
        return name;
    }

    /** Builds the input (outside the clock); each path holds only its own input while it runs. */
    Loaded prepare() {
        List<D> built = items.get();
        return baseline -> baseline.run(built, transform);
    }

    private static List<BsonDocument> documents(EtlBenchSettings settings) {
        UserGenerator generator = new UserGenerator(settings.seed());
        List<BsonDocument> documents = new ArrayList<>(settings.users());
        for (long id = 1; id <= settings.users(); id++) documents.add(generator.user(id));
        return documents;
    }

    /** The {@code after} text of the create events the Kafka path publishes for the same users. */
    private static List<byte[]> afterTexts(EtlBenchSettings settings) {
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(settings.seed()), new MongoChangeEvents("bench_baseline", Clock.system()));
        List<byte[]> texts = new ArrayList<>(settings.users());
        for (SourceRecord event : feed.create(1, settings.users())) {
            texts.add(((Struct) event.value()).getString("after").getBytes(StandardCharsets.UTF_8));
        }
        return texts;
    }
}
