package io.sluice.dcb.service;

import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.DcbLoad;
import io.sluice.dcb.api.PostgresBaseline;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.AppendResponse;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's baseline is an honest DCB store: the same HTTP contract, conditions enforced
 * (50 clients racing for one username, one wins), reads in position order; and the load
 * generator counts what it sends.
 */
@WithSluiceStack
class PostgresBaselineIT {

    @Test
    void enforcesConditionsBehindTheSameHttpContract(TestStack stack) throws Exception {
        PostgresEndpoint pg = stack.postgres();
        DcbApiConfig config = DcbApiConfig.defaults(0, stack.connection(), pg.jdbcUrl(), pg.user(),
                pg.password()).withSchema("baseline");
        try (PostgresBaseline baseline = PostgresBaseline.start(config, 8); DcbClient client = new DcbClient(baseline.baseUri())) {
            Map<String, Object> taken = query(List.of(item(List.of("UserRegistered"), List.of("username:x"))));
            List<Future<AppendResponse>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    answers.add(pool.submit(() -> client.append(List.of(event("UserRegistered", List.of("username:x"), "{}")),
                            condition(taken, 0L))));
                }
            }
            long won = 0;
            for (Future<AppendResponse> answer : answers) if (!answer.get().appendConditionFailed()) won++;
            assertThat(won).isEqualTo(1);

            DcbLoad.Result load = DcbLoad.appends(baseline.baseUri(), "it", 4, Duration.ofSeconds(2));
            assertThat(load.errors()).as(load.firstError()).isZero();
            assertThat(load.answered()).isPositive();
            assertThat(load.conditionFailed()).isZero();
            assertThat(client.readAll()).hasSize(1 + (int) load.answered())
                    .extracting(DcbClient.ReadEvent::position).isSorted();

            // The bench's reads of the users just registered are answered.
            DcbLoad.Result reads = DcbLoad.reads(baseline.baseUri(), "it", 4, 2, Duration.ofSeconds(1));
            assertThat(reads.errors()).as(reads.firstError()).isZero();
            assertThat(reads.answered()).isPositive();
        }
    }
}
