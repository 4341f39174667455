package io.sluice.dcb.service;

import io.sluice.dcb.api.DcbApi;
import io.sluice.dcb.decider.DeciderConfig;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.testing.DeciderProcess;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.testing.TakeoverReport;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.dcb.service.check.DcbClient.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeover in seconds for the DCB store (issue 17 item 5): two deciders (each in a JVM of its own,
 * each with its own state directory, so the second keeps a standby copy of the stores) behind one
 * API, 8 clients appending steadily. The decider that owns the commands partition is SIGKILLed; the
 * figure is the time from the kill to the first append sent after it that is answered, which only
 * the survivor can have decided. Target: 10 s.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DeciderTakeoverIT {

    private static final Logger log = LoggerFactory.getLogger(DeciderTakeoverIT.class);
    private static final Duration TARGET = Duration.ofSeconds(10);
    private static final Duration START = Duration.ofSeconds(90);
    private static final int WRITERS = 8;

    @Test
    void theSurvivingDeciderAnswersAppendsWithinTenSecondsOfTheOwnerBeingKilled(TestStack stack, @TempDir Path stateA,
                                                                               @TempDir Path stateB, @TempDir Path logs)
            throws Exception {
        DcbServiceConfig config = TestServices.config(stack, stateA);
        // Short append timeouts: a client that got no answer (503) sends again at once, so an append
        // is sent soon after the survivor can decide it.
        config = config.withApi(config.api().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        DcbService.prepare(config, line -> { });
        DeciderConfig a = config.deciderConfig();
        DeciderConfig b = a.withStateDir(stateB);
        Map<String, DeciderProcess> deciders = new LinkedHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAnswerAfterKill = new AtomicLong(Long.MAX_VALUE);
        try {
            deciders.put("decider-a", DeciderProcess.start(a, "decider-a", logs.resolve("decider-a.log"), START));
            deciders.put("decider-b", DeciderProcess.start(b, "decider-b", logs.resolve("decider-b.log"), START));
            try (DcbApi api = DcbApi.start(config.api()); DcbClient client = new DcbClient(api.baseUri());
                 Admin admin = Admin.create(stack.connection().admin());
                 ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    done.add(writers.submit(() -> write(client, writer, stop, acknowledged, killedAt, firstAnswerAfterKill)));
                }
                awaitAcknowledged(acknowledged, 200);
                // Both members in the group and the standby caught up with a steady load.
                Thread.sleep(3_000);
                awaitAcknowledged(acknowledged, acknowledged.get() + 100);
                String owner = owner(admin, a.applicationId(), a.commandsTopic());
                log.info("killing {} (owner of {}) after {} acknowledged appends", owner, a.commandsTopic(), acknowledged.get());
                killedAt.set(System.nanoTime());
                deciders.get(owner).kill();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (firstAnswerAfterKill.get() == Long.MAX_VALUE && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(firstAnswerAfterKill.get()).as("an append answered after the kill").isNotEqualTo(Long.MAX_VALUE);
                int atTakeover = acknowledged.get();
                awaitAcknowledged(acknowledged, atTakeover + 100);
                stop.set(true);
                for (Future<?> f : done) f.get();
                double seconds = TakeoverReport.report("dcb decider", Duration.ofNanos(firstAnswerAfterKill.get() - killedAt.get()), TARGET);
                assertThat(seconds).as("seconds from the kill to the survivor's first answer").isLessThanOrEqualTo(TARGET.toSeconds());
            }
        } finally {
            for (DeciderProcess d : deciders.values()) d.close();
        }
    }

    private static Void write(DcbClient client, int writer, AtomicBoolean stop, AtomicInteger acknowledged,
                              AtomicLong killedAt, AtomicLong firstAnswerAfterKill) throws InterruptedException {
        for (int n = 0; !stop.get(); n++) {
            String id = "w" + writer + "-" + n;
            String body = DcbClient.write(Map.of("events", List.of(event("Deposited", List.of("writer:" + writer),
                    DcbClient.write(Map.of("id", id))))));
            for (int attempt = 1; ; attempt++) {
                long sent = System.nanoTime();
                HttpResponse<String> response = client.post("/append", body, id);
                if (response.statusCode() == 200) {
                    acknowledged.incrementAndGet();
                    if (sent > killedAt.get()) firstAnswerAfterKill.accumulateAndGet(System.nanoTime(), Math::min);
                    break;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(attempt).as("attempts of " + id).isLessThan(200);
                Thread.sleep(20);
            }
        }
        return null;
    }

    /** The client id of the decider whose stream thread has the commands partition. */
    private static String owner(Admin admin, String applicationId, String commandsTopic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).all()
                    .get(10, TimeUnit.SECONDS).get(applicationId);
            Optional<String> owner = group.members().stream()
                    .filter(m -> m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(commandsTopic)))
                    .map(MemberDescription::clientId)
                    .map(id -> id.substring(0, id.indexOf("-StreamThread")))
                    .findFirst();
            if (owner.isPresent() && group.members().size() == 2) return owner.get();
            assertThat(System.nanoTime()).as("two members, one with %s: %s", commandsTopic, group).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitAcknowledged(AtomicInteger acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.get() < count) {
            assertThat(System.nanoTime()).as("%d appends acknowledged in time", count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
