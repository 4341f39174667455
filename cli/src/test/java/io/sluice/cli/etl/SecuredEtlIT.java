package io.sluice.cli.etl;

import io.sluice.cli.secure.CliRun;
import io.sluice.cli.secure.SecuredClient;
import io.sluice.cli.secure.SluiceProcess;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.secure.SecuredKafka;
import io.sluice.testing.secure.WithSecuredKafka;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The ETL end to end against a cluster that wants SASL_SSL/SCRAM-SHA-512 and a registry that wants
 * Basic auth, every step a {@code sluice} command with {@code --command-config}: {@code generate-users}
 * (Debezium change events) → {@code flattener} → {@code etl-sink}, the two services in JVMs of their own;
 * the 15 tables must hold exactly what the generated documents say.
 */
@WithSluiceStack
@WithSecuredKafka
class SecuredEtlIT {

    private static final long SEED = 11;
    private static final UserChangePlan PLAN = new UserChangePlan(300, 30, 15, false);
    private static final Duration STARTED = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theFifteenTablesComeOutAsTheDocumentsSayThroughTheSecuredListener(TestStack stack, SecuredKafka kafka)
            throws Exception {
        long start = System.nanoTime();
        String database = stack.unique("secured").replace('-', '_');
        String schema = "etl_secured";
        try (SecuredClient client = SecuredClient.create(kafka, stack, dir)) {
            client.settings(); // the file loads as the commands will load it
            CliRun generate = CliRun.of(args(client, "generate-users", "--users", "" + PLAN.users(),
                    "--updates", "" + PLAN.updates(), "--deletes", "" + PLAN.deletes(), "--seed", "" + SEED,
                    "--db", database, "--partitions", "2"));
            generate.ok();
            try (SluiceProcess flattener = SluiceProcess.start(args(client, "flattener", "--partitions", "2",
                         "--source-pattern", Pattern.quote(TopicNames.cdcUsers(database))));
                 SluiceProcess sink = SluiceProcess.start(args(client, "etl-sink", "--schema", schema,
                         "--pg-url", stack.postgres().jdbcUrlWithCredentials()))) {
                flattener.awaitOutput("running", STARTED);
                sink.awaitOutput("etl sink running", STARTED);
                Map<Long, BsonDocument> live = EtlAssertions.finalDocuments(SEED, PLAN);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    flattener.assertAlive();
                    sink.assertAlive();
                    EtlAssertions.assertTables(stack, schema, live);
                });
            }
            client.assertSecuredPathUsed();
        } finally {
            System.out.printf("SecuredEtlIT: %d users through SASL_SSL in %.1f s%n", PLAN.users(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static String[] args(SecuredClient client, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(client.args());
        return all.toArray(String[]::new);
    }
}
