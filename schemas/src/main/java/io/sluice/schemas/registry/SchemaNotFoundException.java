package io.sluice.schemas.registry;

/**
 * The registry does not know what was asked for: a schema id it never issued, or a schema (or
 * subject) never registered when looking one up with auto-registration off. HTTP 404.
 */
public class SchemaNotFoundException extends SchemaRegistryException {

    public SchemaNotFoundException(String message, int status, int errorCode, String registryMessage) {
        super(message, status, errorCode, registryMessage);
    }
}
