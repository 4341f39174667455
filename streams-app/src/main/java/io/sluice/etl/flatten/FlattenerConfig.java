package io.sluice.etl.flatten;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.topics.TopicNames;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Settings of the flattener, validated once at start-up.
 *
 * @param applicationId    the Streams application id (consumer group, internal topic prefix)
 * @param connection       Kafka and schema registry: the Streams application is built from it
 * @param sourcePattern    the CDC topics to read, by default every {@code cdc.<db>.users}
 * @param outputTopic      where row bundles go, {@code etl.user-rows}
 * @param dlqTopic         where unmappable events go, {@code etl.dlq}
 * @param unknownFields    what a document field the mapping does not know does: ignored, or the change dead-lettered
 */
public record FlattenerConfig(String applicationId, ConnectionSettings connection, Pattern sourcePattern,
                              String outputTopic, String dlqTopic, UnknownFields unknownFields) {

    public static final String DEFAULT_APPLICATION_ID = "sluice-etl-flattener";
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public FlattenerConfig {
        require(applicationId, "applicationId");
        if (connection == null) throw new IllegalArgumentException("connection is required");
        connection.requireRegistry();
        if (sourcePattern == null) throw new IllegalArgumentException("sourcePattern is required");
        if (unknownFields == null) throw new IllegalArgumentException("unknownFields is required");
        for (String[] topic : new String[][]{{outputTopic, "outputTopic"}, {dlqTopic, "dlqTopic"}}) {
            require(topic[0], topic[1]);
            if (!TOPIC.matcher(topic[0]).matches()) {
                throw new IllegalArgumentException(topic[1] + " '" + topic[0] + "' is not a valid topic name");
            }
            if (sourcePattern.matcher(topic[0]).matches()) {
                throw new IllegalArgumentException(topic[1] + " '" + topic[0] + "' matches sourcePattern " + sourcePattern
                        + ": the flattener would read its own output");
            }
        }
    }

    /** Unknown document fields ignored, as before the policy existed. */
    public FlattenerConfig(String applicationId, ConnectionSettings connection, Pattern sourcePattern,
                           String outputTopic, String dlqTopic) {
        this(applicationId, connection, sourcePattern, outputTopic, dlqTopic, UnknownFields.IGNORE);
    }

    /** This configuration with another unknown-field policy. */
    public FlattenerConfig withUnknownFields(UnknownFields policy) {
        return new FlattenerConfig(applicationId, connection, sourcePattern, outputTopic, dlqTopic, policy);
    }

    /** The standard topics and application id. */
    public static FlattenerConfig defaults(ConnectionSettings connection) {
        return new FlattenerConfig(DEFAULT_APPLICATION_ID, connection, TopicNames.CDC_USERS_PATTERN,
                TopicNames.ETL_USER_ROWS, TopicNames.ETL_DLQ);
    }

    /** Kafka Streams settings: exactly-once v2, so a change's rows are written once or not at all. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(connection.streams());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // start a new application from the beginning of the CDC topics, the snapshot included
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return p;
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is required");
    }
}
