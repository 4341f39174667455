package io.sluice.cli.secure;

import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.service.testing.DcbClient;
import io.sluice.dcb.service.testing.DcbClient.ReadEvent;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.secure.SecuredKafka;
import io.sluice.testing.secure.WithSecuredKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.sluice.dcb.service.testing.DcbClient.condition;
import static io.sluice.dcb.service.testing.DcbClient.event;
import static io.sluice.dcb.service.testing.DcbClient.item;
import static io.sluice.dcb.service.testing.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB event store against a cluster that wants SASL_SSL/SCRAM-SHA-512 and a registry that wants Basic
 * auth: the {@link DcbService} that {@code sluice dcb-api} starts (decider, events sink and HTTP API), given
 * the settings loaded from a {@code --command-config} file; appends, a conditional append that must fail,
 * reads, and the events in PostgreSQL.
 */
@WithSluiceStack
@WithSecuredKafka
class SecuredDcbIT {

    @TempDir
    Path dir;

    @Test
    void appendsAndReadsThroughTheSecuredListener(TestStack stack, SecuredKafka kafka) throws Exception {
        long start = System.nanoTime();
        try (SecuredClient client = SecuredClient.create(kafka, stack, dir)) {
            PostgresEndpoint pg = stack.postgres();
            DcbApiConfig api = DcbApiConfig.defaults(0, client.settings(), pg.jdbcUrl(), pg.user(), pg.password());
            DcbServiceConfig config = DcbServiceConfig.defaults(api).withSuffix(stack.unique("s")).withStateDir(dir.resolve("state"));
            try (DcbService service = DcbService.start(config, line -> { });
                 DcbClient dcb = new DcbClient(service.baseUri())) {
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
            client.assertSecuredPathUsed();
        } finally {
            System.out.printf("SecuredDcbIT: through SASL_SSL in %.1f s%n", (System.nanoTime() - start) / 1e9);
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
