package io.sluice.etl.flatten;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded ETL path against the real broker and Apicurio registry: Debezium-built change events
 * published by {@link CdcEventPublisher} with the Connect converter, flattened by {@link FlattenerApp}
 * (exactly_once_v2), read back from the output topic with read_committed.
 */
@WithSluiceStack
class FlattenerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void createsUpdatesAndDeletesBecomeRowBundles(TestStack stack) throws Exception {
        String database = stack.unique("it").replace('-', '_');
        SchemaRegistryClient registry = HttpSchemaRegistryClient.create(stack.registryUrl());
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(5), new MongoChangeEvents(database, Clock.system()));
        String output = stack.unique("etl.user-rows");
        String dlq = stack.unique("etl.dlq");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            CdcEventPublisher.ensureTopic(admin, feed.topic(), 3, (short) 1, TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, output, 3, (short) 1, TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, dlq, 1, (short) 1, TIMEOUT);
        }
        List<SourceRecord> events = new ArrayList<>(feed.create(1, 20));
        for (long id = 1; id <= 5; id++) events.add(feed.update(id));
        events.addAll(feed.delete(6));
        events.addAll(feed.delete(7));
        try (CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(), registry, Map.of())) {
            assertThat(publisher.publish(events)).isEqualTo(20 + 5 + 2 * 2);
        }

        FlattenerConfig config = new FlattenerConfig(stack.unique("flattener"), stack.connection(),
                Pattern.compile(Pattern.quote(feed.topic())), output, dlq);
        Map<Long, List<UserRows>> byUser = new HashMap<>();
        try (FlattenerApp app = new FlattenerApp(config)) {
            app.start();
            int received = 0;
            AvroSerdes serdes = new AvroSerdes(registry, false);
            try (KafkaConsumer<Long, UserRows> consumer = new KafkaConsumer<>(consumerProps(stack),
                    serdes.longKey().deserializer(), serdes.specificValue(UserRows.class).deserializer())) {
                consumer.subscribe(List.of(output));
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (received < 27 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<Long, UserRows> r : consumer.poll(Duration.ofMillis(500))) {
                        byUser.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                        received++;
                    }
                }
            }
            assertThat(received).isEqualTo(27);
        }

        assertThat(byUser).hasSize(20);
        UserRows updated = last(byUser, 3);
        assertThat(byUser.get(3L)).hasSize(2);
        assertThat(updated).isEqualTo(FlattenerDriver.flattenedAs(feed.document(3), updated));
        assertThat(last(byUser, 6).getDeleted()).isTrue();
        assertThat(UserFlattener.rowCount(last(byUser, 7))).isZero();
        assertThat(last(byUser, 20)).isEqualTo(FlattenerDriver.flattenedAs(feed.document(20), last(byUser, 20)));
        // the CDC subjects are in the real registry, registered by the Connect converter
        assertThat(registry.lookup(feed.topic() + "-value", new io.sluice.schemas.connect.AvroConverter(registry, false, false)
                .avroSchema(events.get(0).valueSchema()))).isPositive();
    }

    private static UserRows last(Map<Long, List<UserRows>> byUser, long id) {
        List<UserRows> bundles = byUser.get(id);
        return bundles.get(bundles.size() - 1);
    }

    private static Map<String, Object> consumerProps(TestStack stack) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, stack.unique("flattener-it"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
