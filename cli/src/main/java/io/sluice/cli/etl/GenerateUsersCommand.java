package io.sluice.cli.etl;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.cli.ConnectionOptions;
import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sluice generate-users}: the ETL workload's source without MongoDB. Consumes nothing; produces
 * the {@link UserChangePlan}'s changes of generated users, either as Debezium change events (built by
 * Debezium's own code, encoded as the Connect worker would) on {@code cdc.<db>.users}, or, with
 * {@code --mongo-url}, as writes to a MongoDB collection for the Debezium connector to capture.
 * Guarantees: the same options give the same documents; every event is acknowledged (idempotent
 * producer, acks=all) before the command exits 0.
 */
@Command(name = "generate-users",
        description = {
                "Publish generated users to cdc.<db>.users as change events.",
                "Users 1..N are created (or, with --snapshot, read by an initial snapshot), then users "
                        + "1..U are updated once (arrays shrink and grow, the address may go), then D users "
                        + "spread over the ids are deleted (a delete event and its tombstone). The same "
                        + "--seed always gives the same users. Run `sluice flattener` and `sluice etl-sink` "
                        + "to carry them on to PostgreSQL.",
                "With --mongo-url the documents go to MongoDB instead (insertMany, replaceOne, deleteOne), for "
                        + "Debezium to capture; the connector config in connect-config/ captures the "
                        + "database 'sluice', so pass --db sluice there."},
        footerHeading = "%nExample:%n",
        footer = "  sluice generate-users --users 1000 --updates 100 --deletes 50 --seed 7")
public final class GenerateUsersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConnectionOptions services;

    @Option(names = "--users", paramLabel = "N", required = true, description = "Users to create (ids 1..N).")
    long users;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--db", paramLabel = "NAME", defaultValue = "app",
            description = "MongoDB database the users live in; the topic is cdc.<db>.users (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--updates", paramLabel = "U", defaultValue = "0", description = "Users 1..U get one update each.")
    int updates;

    @Option(names = "--deletes", paramLabel = "D", defaultValue = "0", description = "Users deleted: every (N/D)-th id.")
    int deletes;

    @Option(names = "--snapshot", description = "Publish the users as an initial snapshot (op r) instead of inserts (op c).")
    boolean snapshot;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "4",
            description = "Partitions of cdc.<db>.users when this command creates it (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--mongo-url", paramLabel = "URL",
            description = "Write the documents to this MongoDB (a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0) "
                    + "instead of publishing events.")
    String mongoUrl;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        UserChangePlan plan;
        try {
            TopicNames.cdcUsers(database);
            if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            plan = new UserChangePlan(users, updates, deletes, snapshot);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        UserGenerator generator = new UserGenerator(seed);
        long start = System.nanoTime();
        if (mongoUrl != null) {
            MongoUsersWriter.Counts c = MongoUsersWriter.write(mongoUrl, database, plan, generator);
            err.printf("wrote %,d inserts, %,d replacements and %,d deletes to MongoDB %s.users in %.1f s%n",
                    c.inserted(), c.replaced(), c.deleted(), database, seconds(start));
            return 0;
        }
        UserChangeFeed feed = new UserChangeFeed(generator, new MongoChangeEvents(database, Clock.system()));
        ConnectionSettings connection = services.kafkaAndRegistry();
        ClusterCheck.verify(connection);
        try (Admin admin = Admin.create(connection.admin())) {
            CdcEventPublisher.ensureTopic(admin, feed.topic(), partitions, (short) 1, Duration.ofSeconds(60));
        }
        long[] published = {0};
        try (CdcEventPublisher publisher = CdcEventPublisher.create(connection,
                HttpSchemaRegistryClient.create(connection.requireRegistry()), Map.of())) {
            plan.publish(feed, chunk -> published[0] += publishChunk(publisher, chunk));
        }
        err.printf("published %,d events to %s in %.1f s: %,d %s, %,d updates, %,d deletes (each with a tombstone)%n",
                published[0], feed.topic(), seconds(start), users, snapshot ? "snapshot reads" : "creates", updates, deletes);
        return 0;
    }

    private static int publishChunk(CdcEventPublisher publisher, java.util.List<org.apache.kafka.connect.source.SourceRecord> chunk) {
        try {
            return publisher.publish(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
