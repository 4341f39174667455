package io.sluice.cli.etl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.sluice.cli.Sluice;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live hop the other ETL tests stand in for: MongoDB replica set → Debezium MongoDB connector (Kafka
 * Connect) → Kafka → flattener → ETL sink → PostgreSQL. Opt-in: it needs {@code SLUICE_MONGO_URL} (a
 * replica set, as seen from here) and {@code SLUICE_CONNECT_URL} (Connect with the Debezium connector
 * and sluice's converter, e.g. the docker compose stack), and {@code SLUICE_KAFKA_BOOTSTRAP} and
 * {@code SLUICE_REGISTRY_URL} naming the Kafka and registry that Connect writes to. Without the first
 * two it reports itself skipped, saying so.
 *
 * <p>It registers a connector of its own (connect-config's JSON, renamed, capturing a database of its
 * own; {@code SLUICE_CONNECT_MONGO_URL} replaces the connection string when Connect sees MongoDB under
 * another address than the bundled one), writes the generator's users with {@code sluice generate-users
 * --mongo-url}, and checks the tables as {@link EtlPipelineIT} does. It removes the connector and the
 * database afterwards.
 */
@WithSluiceStack
class LiveMongoPipelineIT {

    private static final long SEED = 11;
    private static final UserChangePlan PLAN = new UserChangePlan(200, 20, 10, false);
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void mongoDbThroughDebeziumAndKafkaIntoPostgres(TestStack stack, @TempDir Path dir) throws Exception {
        String mongoUrl = System.getenv("SLUICE_MONGO_URL");
        String connectUrl = System.getenv("SLUICE_CONNECT_URL");
        assumeTrue(mongoUrl != null && !mongoUrl.isBlank() && connectUrl != null && !connectUrl.isBlank(),
                "live MongoDB -> Debezium -> Kafka -> PostgreSQL test skipped: set SLUICE_MONGO_URL (a MongoDB replica set, "
                        + "e.g. mongodb://localhost:27017/?replicaSet=rs0) and SLUICE_CONNECT_URL (Kafka Connect with Debezium, "
                        + "e.g. http://localhost:8083), with SLUICE_KAFKA_BOOTSTRAP and SLUICE_REGISTRY_URL naming the Kafka "
                        + "and registry Connect writes to (docker compose up gives all four)");
        assertThat(System.getenv("SLUICE_KAFKA_BOOTSTRAP")).as("SLUICE_KAFKA_BOOTSTRAP: the Kafka that Connect writes to").isNotBlank();

        String database = stack.unique("sluice_live").replace('-', '_');
        String connector = stack.unique("sluice-live-it");
        Path config = dir.resolve("connector.json");
        Files.writeString(config, connectorJson(connector, database));
        String schema = "etl_live";
        EtlTestPipeline pipeline = EtlTestPipeline.create(stack, TopicNames.cdcUsers(database), 1);
        try (var flattener = pipeline.flattener();
             RunningEtlSink sink = RunningEtlSink.start(pipeline.sinkConfig(stack.unique("sink"), schema, 500), stack.registryUrl())) {
            flattener.start();
            assertThat(sluice("connect", "register", "--connect-url", connectUrl, "--config", config.toString())).isZero();
            assertThat(sluice("generate-users", "--mongo-url", mongoUrl, "--db", database, "--users", "" + PLAN.users(),
                    "--updates", "" + PLAN.updates(), "--deletes", "" + PLAN.deletes(), "--seed", "" + SEED)).isZero();

            long bundles = PLAN.users() + PLAN.updates() + PLAN.deletes();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).failFast(sink::assertRunning)
                    .until(() -> sink.counters().recordsWritten() >= bundles);
            EtlAssertions.assertTables(stack, schema, EtlAssertions.finalDocuments(SEED, PLAN));
        } finally {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(connectUrl.replaceFirst("/$", "") + "/connectors/"
                    + connector)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            try (MongoClient mongo = MongoClients.create(mongoUrl)) {
                mongo.getDatabase(database).drop();
            }
        }
    }

    /** connect-config's connector, renamed and capturing only {@code database}. */
    private static String connectorJson(String name, String database) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root;
        try (InputStream in = LiveMongoPipelineIT.class.getClassLoader().getResourceAsStream("mongodb-users-source.json")) {
            root = (ObjectNode) json.readTree(in);
        }
        root.put("name", name);
        ObjectNode c = (ObjectNode) root.get("config");
        c.put("database.include.list", database);
        c.put("collection.include.list", database + ".users");
        String connectMongoUrl = System.getenv("SLUICE_CONNECT_MONGO_URL");
        if (connectMongoUrl != null && !connectMongoUrl.isBlank()) c.put("mongodb.connection.string", connectMongoUrl);
        return json.writeValueAsString(root);
    }

    private static int sluice(String... args) {
        StringWriter out = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute(args);
        assertThat(exit).as(String.join(" ", args) + ":\n" + out).isZero();
        return exit;
    }
}
