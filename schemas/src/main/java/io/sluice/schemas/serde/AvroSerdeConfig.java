package io.sluice.schemas.serde;

import io.sluice.common.client.RegistrySettings;
import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;
import java.util.Map;

/**
 * Settings of a serializer or deserializer created by Kafka from a class name. The property names
 * are Confluent's, so existing client configurations carry over.
 *
 * @param registry       {@value #SCHEMA_REGISTRY_URL} (required) and the registry's auth and TLS
 *                       properties ({@code basic.auth.*}, {@code bearer.auth.*}, {@code schema.registry.ssl.*})
 * @param autoRegister   {@value #AUTO_REGISTER}: register unknown schemas when serializing
 *                       (default true); when false, a schema must already be registered
 * @param specificReader {@value #SPECIFIC_READER}: deserialize records into the generated class
 *                       named by the writer schema (default false: GenericRecord)
 */
public record AvroSerdeConfig(RegistrySettings registry, boolean autoRegister, boolean specificReader) {

    public static final String SCHEMA_REGISTRY_URL = RegistrySettings.URL;
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String SPECIFIC_READER = "specific.avro.reader";

    public AvroSerdeConfig {
        if (registry == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (the registry API base URL, e.g. "
                    + "http://127.0.0.1:8080/apis/ccompat/v7)");
        }
    }

    /** An unauthenticated registry at {@code registryUrl}. */
    public AvroSerdeConfig(String registryUrl, boolean autoRegister, boolean specificReader) {
        this(registryUrl == null || registryUrl.isBlank() ? null : RegistrySettings.plaintext(registryUrl),
                autoRegister, specificReader);
    }

    /** Reads the settings from a Kafka client configuration; unknown keys are ignored. */
    public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        RegistrySettings registry = null;
        if (url != null && !url.toString().isBlank()) {
            try {
                registry = RegistrySettings.fromConfig(configs);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return new AvroSerdeConfig(registry, bool(configs, AUTO_REGISTER, true), bool(configs, SPECIFIC_READER, false));
    }

    public String registryUrl() {
        return registry.url();
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
