package io.sluice.schemas.registry;

/**
 * The registry refused to register a schema because the subject's compatibility rule (BACKWARD in
 * sluice's stack) rejects it against the subject's latest schema: HTTP 409.
 */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;

    public IncompatibleSchemaException(String subject, int status, int errorCode, String registryMessage) {
        super("schema is incompatible with the latest schema of subject " + subject + ": " + registryMessage,
                status, errorCode, registryMessage);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
