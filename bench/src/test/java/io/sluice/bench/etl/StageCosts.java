package io.sluice.bench.etl;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcRecordEncoder;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.MongoExtendedJson;
import io.sluice.etl.flatten.UserFlattener;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.serde.AvroDeserializer;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.etl.UserRowsWriter;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where the ETL benchmark's CPU goes, stage by stage, without Kafka: the single-threaded CPU time of
 * each step the Kafka path performs per user, on the benchmark's own users, warmed up. Not a test; run
 * by hand ({@code java -cp ... io.sluice.bench.etl.StageCosts [users] [jdbc-url]}) to tell the
 * flattener's, the sink's and PostgreSQL's shares apart. The PostgreSQL step is wall time (the server's
 * work is in another process).
 */
public final class StageCosts {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String jdbc = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        SchemaRegistryClient registry = new MemoryRegistry();
        AvroSerdes serdes = new AvroSerdes(registry, true);
        Serializer<UserRows> rowsOut = serdes.specificValue(UserRows.class).serializer();
        Deserializer<UserRows> rowsIn = serdes.specificValue(UserRows.class).deserializer();
        AvroDeserializer<GenericRecord> values = AvroDeserializer.generic(registry, null, false);

        for (int round = 1; round <= 3; round++) {
            System.out.println("round " + round);
            UserChangeFeed feed = new UserChangeFeed(new UserGenerator(1), new MongoChangeEvents("costs" + round, Clock.system()));
            List<SourceRecord> events = time("debezium events (not timed in the bench)", () -> feed.create(1, users));
            CdcRecordEncoder encoder = new CdcRecordEncoder(registry);
            List<ProducerRecord<byte[], byte[]>> encoded = time("encode (Connect converter)", () -> {
                List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                for (SourceRecord e : events) out.add(encoder.encode(e));
                return out;
            });
            List<GenericRecord> envelopes = time("flattener: Avro decode", () -> {
                List<GenericRecord> out = new ArrayList<>();
                for (ProducerRecord<byte[], byte[]> r : encoded) out.add(values.deserialize(r.topic(), r.value()));
                return out;
            });
            List<BsonDocument> docs = time("flattener: parse after", () -> {
                List<BsonDocument> out = new ArrayList<>();
                for (GenericRecord e : envelopes) {
                    // as the flattener does: the Avro string's UTF-8 bytes, not a String
                    Utf8 after = (Utf8) e.get("after");
                    out.add(MongoExtendedJson.parseDocument(after.getBytes(), 0, after.getByteLength()));
                }
                return out;
            });
            List<UserRows> bundles = time("flattener: flatten", () -> {
                List<UserRows> out = new ArrayList<>();
                for (BsonDocument d : docs) out.add(UserFlattener.flatten(d, Instant.EPOCH));
                return out;
            });
            List<byte[]> bytes = time("flattener: Avro encode bundle", () -> {
                List<byte[]> out = new ArrayList<>();
                for (UserRows b : bundles) out.add(rowsOut.serialize("etl.user-rows", b));
                return out;
            });
            List<SinkRecord<Long, UserRows>> records = time("sink: Avro decode bundle", () -> {
                List<SinkRecord<Long, UserRows>> out = new ArrayList<>();
                for (byte[] b : bytes) {
                    UserRows r = rowsIn.deserialize("etl.user-rows", b);
                    out.add(new SinkRecord<>("etl.user-rows", 0, out.size(), 0L, r.getUserId(), r));
                }
                return out;
            });
            long encodedBytes = encoded.stream().mapToLong(r -> r.value().length).sum();
            long bundleBytes = bytes.stream().mapToLong(b -> b.length).sum();
            System.out.printf("  sizes: events %,d bytes, bundles %,d bytes%n", encodedBytes, bundleBytes);
            copy(jdbc, records);
        }
    }

    private static void copy(String jdbc, List<SinkRecord<Long, UserRows>> records) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbc);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS stage_costs CASCADE");
        }
        SinkMigrations.migrate(ds, "stage_costs");
        if (System.getenv("STAGE_COSTS_NO_FK") != null) {
            // an experiment only: how much of the write is the foreign keys' per-row checks
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint "
                        + "WHERE contype = 'f' AND connamespace = 'stage_costs'::regnamespace LOOP "
                        + "EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname); END LOOP; END $$");
            }
        }
        UserRowsWriter writer = new UserRowsWriter("stage_costs");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long cpu = THREADS.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int from = 0; from < records.size(); from += 2_000) {
                writer.write(c, records.subList(from, Math.min(records.size(), from + 2_000)));
                c.commit();
            }
            System.out.printf("  %-40s cpu %6.0f ms  wall %6.0f ms%n", "sink: DELETE+COPY+commit, batches of 2000",
                    (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6, (System.nanoTime() - wall) / 1e6);
        }
    }

    private static <T> T time(String what, Supplier<T> step) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        T result = step.get();
        System.out.printf("  %-40s cpu %6.0f ms  wall %6.0f ms%n", what, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6,
                (System.nanoTime() - wall) / 1e6);
        return result;
    }

    /** Registry in memory: ids by schema, no HTTP. */
    private static final class MemoryRegistry implements SchemaRegistryClient {
        private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
        private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public int register(String subject, Schema schema) {
            return ids.computeIfAbsent(schema, s -> {
                int id = next.getAndIncrement();
                schemas.put(id, s);
                return id;
            });
        }

        @Override
        public int lookup(String subject, Schema schema) {
            return register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            return schemas.get(id);
        }

        @Override
        public String url() {
            return "memory:";
        }
    }
}
