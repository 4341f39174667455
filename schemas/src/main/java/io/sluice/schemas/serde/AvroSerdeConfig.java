package io.sluice.schemas.serde;

import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;
import java.util.Map;

/**
 * Settings of a serializer or deserializer created by Kafka from a class name. The property names
 * are Confluent's, so existing client configurations carry over.
 *
 * @param registryUrl    {@value #SCHEMA_REGISTRY_URL}: base URL of the registry API (required)
 * @param autoRegister   {@value #AUTO_REGISTER}: register unknown schemas when serializing
 *                       (default true); when false, a schema must already be registered
 * @param specificReader {@value #SPECIFIC_READER}: deserialize records into the generated class
 *                       named by the writer schema (default false: GenericRecord)
 */
public record AvroSerdeConfig(String registryUrl, boolean autoRegister, boolean specificReader) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String SPECIFIC_READER = "specific.avro.reader";

    public AvroSerdeConfig {
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (the registry API base URL, e.g. "
                    + "http://127.0.0.1:8080/apis/ccompat/v7)");
        }
    }

    /** Reads the settings from a Kafka client configuration; unknown keys are ignored. */
    public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        return new AvroSerdeConfig(url == null ? null : url.toString(),
                bool(configs, AUTO_REGISTER, true), bool(configs, SPECIFIC_READER, false));
    }

    private static boolean bool(Map<String, ?> configs, String name, boolean fallback) {
        Object value = configs.get(name);
        if (value == null) return fallback;
        if (value instanceof Boolean b) return b;
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name, value, "allowed values: true, false");
        };
    }
}
