package io.sluice.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.config.Configuration;
import io.debezium.connector.mongodb.MongoDbConnector;
import io.debezium.connector.mongodb.MongoDbConnectorConfig;
import io.sluice.etl.cdc.MongoChangeEvents;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Validates mongodb-users-source.json against the Debezium connector's own definitions, so a misspelt key fails the build. */
class MongoDbSourceConfigTest {

    /** Keys Kafka Connect itself reads for every connector (ConnectorConfig, SourceConnectorConfig). */
    private static final Set<String> CONNECT_KEYS = Set.of("name", "connector.class", "tasks.max", "key.converter",
            "value.converter", "header.converter", "transforms", "predicates", "config.action.reload", "exactly.once.support",
            "transaction.boundary", "offsets.storage.topic", "topic.creation.groups");
    private static final List<String> CONNECT_PREFIXES = List.of("key.converter.", "value.converter.", "header.converter.",
            "transforms.", "predicates.", "errors.", "topic.creation.");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{file:([^:}]+):([^}]+)}");

    private final Map<String, String> config = load();

    private static Map<String, String> load() {
        try (InputStream in = MongoDbSourceConfigTest.class.getResourceAsStream("/mongodb-users-source.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            assertThat(root.get("name").asText()).isEqualTo("sluice-mongodb-users");
            Map<String, String> out = new LinkedHashMap<>();
            root.get("config").fields().forEachRemaining(e -> {
                assertThat(e.getValue().isTextual()).as("value of %s must be a string, as the Connect REST API takes it", e.getKey())
                        .isTrue();
                out.put(e.getKey(), e.getValue().asText());
            });
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyKeyIsKnownToTheConnectorOrToKafkaConnect() {
        Set<String> connectorKeys = new MongoDbConnector().config().names();
        assertThat(connectorKeys).contains("mongodb.connection.string", "capture.mode", "topic.prefix");
        for (String key : config.keySet()) {
            boolean known = connectorKeys.contains(key) || CONNECT_KEYS.contains(key)
                    || CONNECT_PREFIXES.stream().anyMatch(key::startsWith);
            assertThat(known).as("'%s' is neither a MongoDbConnector setting nor a Kafka Connect one (misspelt?)", key).isTrue();
        }
    }

    @Test
    void valuesPassTheConnectorsOwnValidation() {
        Map<String, ConfigValue> results = Configuration.from(withSecretsResolved()).validate(MongoDbConnectorConfig.ALL_FIELDS);
        for (ConfigValue value : results.values()) {
            assertThat(value.errorMessages()).as("validation of %s", value.name()).isEmpty();
        }
        assertThat(new MongoDbConnectorConfig(Configuration.from(withSecretsResolved())).getCaptureMode())
                .isEqualTo(MongoDbConnectorConfig.CaptureMode.CHANGE_STREAMS_UPDATE_FULL);
    }

    @Test
    void secretsComeFromAConfigProviderNotInline() {
        String connection = config.get("mongodb.connection.string");
        assertThat(connection).contains("replicaSet=rs0")
                .contains("${file:/opt/kafka/secrets/mongo.properties:user}")
                .contains("${file:/opt/kafka/secrets/mongo.properties:password}");
        assertThat(PLACEHOLDER.matcher(connection).replaceAll("")).doesNotContainPattern(":[^/@:]+@");
        assertThat(config).doesNotContainKeys("mongodb.password", "mongodb.user");
    }

    @Test
    void convertersAreSluicesAvroConverterOnTheRegistry() throws ClassNotFoundException {
        for (String role : List.of("key", "value")) {
            Class<?> converter = Class.forName(config.get(role + ".converter"));
            assertThat(Converter.class).isAssignableFrom(converter);
            assertThat(config.get(role + ".converter.schema.registry.url")).endsWith("/apis/ccompat/v7");
        }
    }

    @Test
    void theEmbeddedEventPathUsesTheSameEventShapingSettings() {
        Map<String, String> embedded = MongoChangeEvents.connectorConfig("sluice");
        for (String key : List.of("topic.prefix", "collection.include.list", "capture.mode", "snapshot.mode",
                "tombstones.on.delete", "schema.name.adjustment.mode")) {
            assertThat(embedded.get(key)).as(key).isEqualTo(config.get(key));
        }
    }

    private Map<String, String> withSecretsResolved() {
        Map<String, String> resolved = new LinkedHashMap<>();
        config.forEach((k, v) -> resolved.put(k, PLACEHOLDER.matcher(v).replaceAll("secret")));
        return resolved;
    }
}
