package io.sluice.cli.secure;

import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.secure.SecuredKafka;
import io.sluice.testing.secure.WithSecuredKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB event store against a cluster that wants SASL_SSL/SCRAM-SHA-512 and a registry that wants Basic
 * auth, as a user runs it: {@code sluice dcb-api} in a JVM of its own, given the secured listener's address,
 * the registry proxy, PostgreSQL and a {@code --command-config} file, and nothing else (no embedded broker
 * could serve it: the process's environment names none, and the listener's metadata advertises only itself).
 * Appends, a conditional append that must fail, reads over HTTP, and the events in PostgreSQL.
 */
@WithSluiceStack
@WithSecuredKafka
class SecuredDcbIT {

    private static final Pattern READY = Pattern.compile("sluice dcb-api is ready: (\\S+)");

    @TempDir
    Path dir;

    @Test
    void appendsAndReadsThroughTheSecuredListener(TestStack stack, SecuredKafka kafka) throws Exception {
        long start = System.nanoTime();
        try (SecuredClient client = SecuredClient.create(kafka, stack, dir)) {
            List<String> args = new ArrayList<>(List.of("dcb-api", "--port", "0", "--state-dir", dir.resolve("state").toString(),
                    "--registry-url", client.settings().requireRegistry().url(),
                    "--pg-url", stack.postgres().jdbcUrlWithCredentials()));
            args.addAll(client.args());
            try (SluiceProcess api = SluiceProcess.start(args)) {
                api.awaitOutput("Running.", Duration.ofMinutes(3));
                Matcher ready = READY.matcher(api.output());
                assertThat(ready.find()).as(api.output()).isTrue();
                assertThat(api.output()).doesNotContain(kafka.password()).doesNotContain("ScramLoginModule");
                try (DcbClient dcb = new DcbClient(URI.create(ready.group(1)))) {
                    Map<String, Object> course = query(List.of(item(List.of("CourseDefined"), List.of("course:s1"))));

                    assertThat(dcb.append(List.of(event("CourseDefined", List.of("course:s1"), "v1")), condition(course, null))
                            .appendConditionFailed()).isFalse();
                    assertThat(dcb.append(List.of(event("CourseDefined", List.of("course:s1"), "v2")), condition(course, null))
                            .appendConditionFailed()).as("the condition is checked through the secured cluster").isTrue();
                    assertThat(dcb.append(List.of(event("StudentSubscribed", List.of("course:s1", "student:a"), "{}"),
                            event("StudentSubscribed", List.of("course:s1", "student:b"), "{}")), null)
                            .appendConditionFailed()).isFalse();

                    assertThat(dcb.read(course, null)).extracting(ReadEvent::data).containsExactly("v1");
                    assertThat(dcb.read(query(List.of(item(List.of(), List.of("course:s1")))), null))
                            .extracting(ReadEvent::type).containsExactly("CourseDefined", "StudentSubscribed", "StudentSubscribed");
                    assertThat(eventsInPostgres(stack)).isEqualTo(3);
                }
                api.assertAlive();
            }
            client.assertSecuredPathUsed();
        } finally {
            System.out.printf("SecuredDcbIT: sluice dcb-api through SASL_SSL in %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    private static long eventsInPostgres(TestStack stack) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
