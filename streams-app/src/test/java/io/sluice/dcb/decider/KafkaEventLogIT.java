package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KafkaEventLog} against the real broker: 300 events in transactions of 3, an aborted
 * transaction among them, read past a position with a tail of 20 offsets, so that both its
 * paths run: the tail alone (a clean restart, a short partial reset) and the whole log (a full
 * reset). Only committed events come back, each once, in position order.
 */
@WithSluiceStack
class KafkaEventLogIT {

    private static final int EVENTS = 300;

    @Test
    void handsOverTheCommittedEventsPastAPositionFromTheTailOrTheWholeLog(TestStack stack) throws Exception {
        String name = "dcb.events.log-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(stack.connection().admin())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Topic<Long, Event> topic = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true).dcbEvents().withName(name);
        Map<String, Object> props = new HashMap<>(stack.connection().producer());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name);
        try (KafkaProducer<Long, Event> producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.initTransactions();
            for (long p = 1; p <= EVENTS; p += 3) {
                if (p == 151) {
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(name, 0, 999L, event(999)));
                    producer.flush();
                    producer.abortTransaction();
                }
                producer.beginTransaction();
                for (long q = p; q < p + 3; q++) producer.send(new ProducerRecord<>(name, 0, q, event(q)));
                producer.commitTransaction();
            }
        }
        KafkaEventLog log = new KafkaEventLog(stack.connection(), name, topic.valueSerde().deserializer(), 20);

        assertThat(positionsAfter(log, 0)).as("from an empty store: the whole log").isEqualTo(range(1, EVENTS));
        assertThat(positionsAfter(log, 100)).as("far behind: the whole log, filtered").isEqualTo(range(101, EVENTS));
        assertThat(positionsAfter(log, EVENTS - 4)).as("a little behind: the tail").isEqualTo(range(EVENTS - 3, EVENTS));
        assertThat(positionsAfter(log, EVENTS)).as("up to date").isEmpty();
    }

    private static List<Long> positionsAfter(KafkaEventLog log, long position) {
        List<Long> positions = new ArrayList<>();
        log.eventsAfter(position, e -> positions.add(e.getPosition()));
        return positions;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long p = from; p <= to; p++) out.add(p);
        return out;
    }

    private static Event event(long position) {
        return new Event(position, "Type", List.of("tag:" + position), "{}", "request-" + position,
                Instant.parse("2026-12-01T00:00:00Z"), null, null);
    }
}
