package io.sluice.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared stack is real: a broker that stores and serves records, a registry, a fresh database. */
@WithSluiceStack
class EmbeddedStackIT {

    @Test
    void brokerStoresAndServesRecords(TestStack stack) throws Exception {
        String topic = stack.unique("stack-it");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, stack.unique("g"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 100 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) values.add(r.value());
            }
        }
        assertThat(values).hasSize(100).contains("v0", "v99");
    }

    @Test
    void registryAnswersTheConfluentApiWithBackwardCompatibility(TestStack stack) throws Exception {
        HttpResponse<String> config = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("BACKWARD");
    }

    @Test
    void eachTestClassHasItsOwnEmptyDatabase(TestStack stack) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT current_database(), "
                    + "(SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public')");
            rs.next();
            assertThat(rs.getString(1)).startsWith("it_embeddedstackit_");
            assertThat(rs.getLong(2)).isZero();
        }
    }
}
