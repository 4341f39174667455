package io.sluice.dcb.service;

import io.sluice.common.topics.TopicAdmin;
import io.sluice.dcb.api.DcbApiConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the DCB store's topics that are missing and checks those that exist: dcb.commands,
 * dcb.events and dcb.results with one partition each (one decider orders every append; the read
 * fence needs the log in one partition; results in one partition arrive in decision order), the
 * log kept forever, and waits until every partition's leader serves it: an idempotent producer
 * sending to a partition without a live leader can lose its first batch (KAFKA-15591).
 */
public final class DcbTopics {

    /** The topics exist and serve; {@code eventsTopicId} is the log's Kafka topic id. */
    public record Ready(String eventsTopicId) {
    }

    private DcbTopics() {
    }

    public static Ready ensure(DcbServiceConfig config) throws InterruptedException {
        DcbApiConfig api = config.api();
        Map<String, TopicDescription> topics;
        try (Admin admin = Admin.create(api.connection().admin())) {
            topics = TopicAdmin.ensureTopics(admin, List.of(
                    new NewTopic(api.commandsTopic(), Optional.of(1), Optional.empty()),
                    // The event log: never deleted by time or size.
                    new NewTopic(api.eventsTopic(), Optional.of(1), Optional.empty()).configs(Map.of(
                            TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1")),
                    new NewTopic(api.resultsTopic(), Optional.of(1), Optional.empty()),
                    new NewTopic(config.dlqTopic(), Optional.of(1), Optional.empty())), config.startTimeout());
        } catch (KafkaException e) {
            if (Thread.interrupted()) throw new InterruptedException("preparing the DCB topics: " + e.getMessage());
            throw new IllegalStateException("preparing the DCB topics failed: " + e.getMessage(), e);
        }
        // Existing topics are left as they are, so one made elsewhere with more partitions is refused here.
        for (String topic : List.of(api.commandsTopic(), api.eventsTopic(), api.resultsTopic())) {
            int partitions = topics.get(topic).partitions().size();
            if (partitions != 1) {
                throw new IllegalStateException(topic + " has " + partitions
                        + " partitions; the DCB store needs exactly one (see DcbTopics)");
            }
        }
        return new Ready(topics.get(api.eventsTopic()).topicId().toString());
    }
}
