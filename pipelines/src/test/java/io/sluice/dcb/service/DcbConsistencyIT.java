package io.sluice.dcb.service;

import io.sluice.dcb.service.check.ConsistencyFixture;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A port of the dcb.events suite's consistency scenario, over HTTP against the real stack: 20
 * writers for 10 s (longer, up to 40 s, until 1,000 appends succeeded), each reading the last
 * event matching a random query and appending 1–2 events on the condition that nothing matching
 * came after it, recording that position in the event data. Then, for every append (its first
 * event; at least 1,000 of them), the recorded position must equal the true last matching position
 * before the event, computed both from the whole log with the query model and by the store itself
 * (a backwards read from the position before). Any mismatch is an append the decider let through
 * although its condition was violated. A later event of the same append is not checked: the
 * writer could not know that its own first event would match.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DcbConsistencyIT {

    private static final Logger log = LoggerFactory.getLogger(DcbConsistencyIT.class);
    private static final int WRITERS = 20;
    private static final long MIN_NANOS = 10_000_000_000L;
    private static final long MAX_NANOS = 40_000_000_000L;
    private static final int VERIFIED = 1_000;

    @Test
    void everyAppendedEventRecordsTheTrueLastMatchingPosition(TestStack stack, @TempDir Path stateDir) throws Exception {
        try (DcbService service = DcbService.start(TestServices.config(stack, stateDir), line -> { });
             DcbClient client = new DcbClient(service.baseUri())) {
            AtomicInteger appended = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicLong events = new AtomicLong();
            long started = System.nanoTime();
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Random random = new Random(1000 + w);
                    done.add(writers.submit(() -> {
                        while (true) {
                            long elapsed = System.nanoTime() - started;
                            if (elapsed > MAX_NANOS || (elapsed > MIN_NANOS && appended.get() >= VERIFIED)) return null;
                            Map<String, Object> query = ConsistencyFixture.query(random);
                            ReadEvent last = client.readLast(query);
                            long lastPosition = last == null ? 0 : last.position();
                            List<Map<String, Object>> batch = ConsistencyFixture.events(random, query, lastPosition);
                            if (client.append(batch, DcbClient.condition(query, lastPosition)).appendConditionFailed()) {
                                failed.incrementAndGet();
                            } else {
                                appended.incrementAndGet();
                                events.addAndGet(batch.size());
                            }
                        }
                    }));
                }
                for (Future<?> f : done) f.get();
            }
            log.info("consistency: {} appends, {} failed conditions, {} events in {} s", appended, failed, events,
                    (System.nanoTime() - started) / 1_000_000_000);

            List<ReadEvent> all = client.readAll();
            assertThat(appended.get()).as("appends that succeeded within the deadline").isGreaterThanOrEqualTo(VERIFIED);
            assertThat(all).hasSize((int) events.get());
            assertThat(failed.get()).as("the writers contended").isPositive();
            for (int i = 0; i < all.size(); i++) assertThat(all.get(i).position()).isEqualTo(i + 1);

            AtomicInteger checked = new AtomicInteger();
            List<String> mismatches = new ArrayList<>();
            try (ExecutorService verifiers = Executors.newFixedThreadPool(5)) {
                List<Future<String>> verdicts = new ArrayList<>();
                for (ReadEvent event : all) {
                    verdicts.add(verifiers.submit(() -> ConsistencyFixture.verify(client, all, event, checked)));
                }
                for (Future<String> verdict : verdicts) if (verdict.get() != null) mismatches.add(verdict.get());
            }
            log.info("consistency: {} appends checked (their first events)", checked);
            // Every successful append has exactly one first event, so all of them were checked.
            assertThat(checked.get()).isEqualTo(appended.get()).isGreaterThanOrEqualTo(VERIFIED);
            assertThat(mismatches).isEmpty();
        }
    }
}
