package io.sluice.bench.dcb;

import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.PostgresBaseline;
import io.sluice.dcb.api.PostgresBaseline.Design;
import io.sluice.dcb.service.check.ConsistencyFixture;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both PostgreSQL-only baselines of {@code sluice bench dcb} are honest DCB stores: two appends whose
 * conditions each match the other's event never both succeed (raced many times, for conditions on a
 * tag, on a type only, and on everything), and the dcb.events consistency scenario
 * ({@link ConsistencyFixture}, as DcbConsistencyIT runs it against the decider) finds no append let
 * through against its condition and positions 1..N.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostgresBaselineConsistencyIT {

    private static final int RACES = 150;
    private static final int WRITERS = 16;
    private static final long WRITE_NANOS = 6_000_000_000L;

    @ParameterizedTest
    @EnumSource(Design.class)
    void twoAppendsWithConflictingConditionsNeverBothSucceed(Design design, TestStack stack) throws Exception {
        try (PostgresBaseline baseline = start(stack, design, "race"); DcbClient client = new DcbClient(baseline.baseUri())) {
            for (int race = 0; race < RACES; race++) {
                String type = "Type" + race;
                Map<String, Object> onTag = query(List.of(item(List.of(), List.of("course:" + race))));
                Map<String, Object> onType = query(List.of(item(List.of(type), List.of())));
                Map<String, Object> onAll = query(List.of());
                // Each writer's event matches the other's condition; the two conditions are of different kinds.
                Map<String, Object> aCondition = switch (race % 3) {
                    case 0 -> onTag;
                    case 1 -> onType;
                    default -> onAll;
                };
                long after = client.readAll().size();
                List<Map<String, Object>> aEvent = List.of(event(type, List.of("course:" + race, "a"), "{}"));
                List<Map<String, Object>> bEvent = List.of(event(type, List.of("course:" + race, "b"), "{}"));
                int won = race(client, aEvent, condition(aCondition, after), bEvent, condition(onTag, after));
                assertThat(won).as("race %d (%s): appends that succeeded", race, design).isEqualTo(1);
            }
            List<ReadEvent> all = client.readAll();
            assertThat(all).hasSize(RACES);
            for (int i = 0; i < all.size(); i++) assertThat(all.get(i).position()).isEqualTo(i + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void theDcbEventsConsistencyCheckPasses(Design design, TestStack stack) throws Exception {
        try (PostgresBaseline baseline = start(stack, design, "consistency"); DcbClient client = new DcbClient(baseline.baseUri())) {
            AtomicInteger appended = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicLong events = new AtomicLong();
            long started = System.nanoTime();
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Random random = new Random(1000 + w);
                    done.add(writers.submit(() -> {
                        while (System.nanoTime() - started < WRITE_NANOS) {
                            Map<String, Object> query = ConsistencyFixture.query(random);
                            ReadEvent last = client.readLast(query);
                            long lastPosition = last == null ? 0 : last.position();
                            List<Map<String, Object>> batch = ConsistencyFixture.events(random, query, lastPosition);
                            if (client.append(batch, condition(query, lastPosition)).appendConditionFailed()) {
                                failed.incrementAndGet();
                            } else {
                                appended.incrementAndGet();
                                events.addAndGet(batch.size());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            }
            List<ReadEvent> all = client.readAll();
            assertThat(appended.get()).as("appends that succeeded").isGreaterThanOrEqualTo(100);
            assertThat(failed.get()).as("the writers contended").isPositive();
            assertThat(all).hasSize((int) events.get());

            assertThat(ConsistencyFixture.check(client, all)).isEmpty();
        }
    }

    /** Sends both appends at once (a barrier between two threads); how many succeeded. */
    private static int race(DcbClient client, List<Map<String, Object>> aEvents, Map<String, Object> aCondition,
                            List<Map<String, Object>> bEvents, Map<String, Object> bCondition) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Boolean> a = pool.submit(() -> {
                start.await();
                return !client.append(aEvents, aCondition).appendConditionFailed();
            });
            Future<Boolean> b = pool.submit(() -> {
                start.await();
                return !client.append(bEvents, bCondition).appendConditionFailed();
            });
            return (a.get() ? 1 : 0) + (b.get() ? 1 : 0);
        }
    }

    private static PostgresBaseline start(TestStack stack, Design design, String what) throws Exception {
        PostgresEndpoint pg = stack.postgres();
        DcbApiConfig config = DcbApiConfig.defaults(0, stack.connection(), pg.jdbcUrl(), pg.user(), pg.password())
                .withSchema("baseline_" + what + "_" + design.name().toLowerCase());
        return PostgresBaseline.start(config, 16, design);
    }
}
