package io.sluice.dcb.service;

import io.sluice.common.state.StateDirectory;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.TempDirs;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two DCB services (what two {@code sluice dcb-api} processes run) on one host with the default state
 * directory: the second takes a directory of its own instead of failing on the first one's lock, and
 * both answer appends and reads.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TwoInstancesOnOneHostIT {

    @Test
    void twoInstancesWithTheDefaultStateDirectoryRunSideBySide(TestStack stack) throws Exception {
        PostgresEndpoint pg = stack.postgres();
        DcbApiConfig api = DcbApiConfig.defaults(0, stack.connection(), pg.jdbcUrl(), pg.user(),
                pg.password());
        DcbServiceConfig config = DcbServiceConfig.defaults(api).withSuffix(UUID.randomUUID().toString().substring(0, 8));
        assertThat(config.stateDir()).as("the default, not one chosen by the test").isEmpty();
        List<String> firstSteps = new CopyOnWriteArrayList<>();
        List<String> secondSteps = new CopyOnWriteArrayList<>();
        Path base = StateDirectory.defaultBase();
        try (DcbService first = DcbService.start(config, firstSteps::add);
             DcbService second = DcbService.start(config, secondSteps::add);
             DcbClient firstClient = new DcbClient(first.baseUri());
             DcbClient secondClient = new DcbClient(second.baseUri())) {
            assertThat(firstSteps).contains("decider state in " + base.resolve(config.deciderApplicationId()));
            assertThat(secondSteps).contains("decider state in " + base.resolve(config.deciderApplicationId() + ".2"));

            firstClient.append(List.of(event("Registered", List.of("instance:1"), "{}")), null);
            secondClient.append(List.of(event("Registered", List.of("instance:2"), "{}")), null);

            assertThat(first.isHealthy()).isTrue();
            assertThat(second.isHealthy()).isTrue();
            assertThat(firstClient.read(query(List.of(item(List.of("Registered"), List.of("instance:1")))), Map.of())).hasSize(1);
            assertThat(secondClient.read(query(List.of(item(List.of("Registered"), List.of("instance:2")))), Map.of())).hasSize(1);
        } finally {
            StateDirectory.instances(base, config.deciderApplicationId()).forEach(TempDirs::deleteRecursively);
        }
    }
}
