package io.sluice.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that sluice uses, the subset that Confluent
 * Schema Registry, Karapace and Apicurio ({@code /apis/ccompat/v7}) all implement alike.
 *
 * <p>Implementations cache both directions (subject + schema to id, id to schema): a schema id
 * never changes its meaning in a registry, so a cached answer is never stale. All methods are
 * thread-safe and throw {@link SchemaRegistryException} (unchecked) when the registry refuses or
 * cannot be reached.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (or finds it already registered there) and
     * returns its global id.
     *
     * @throws IncompatibleSchemaException when the subject's compatibility rule rejects the schema
     */
    int register(String subject, Schema schema);

    /**
     * Returns the id of {@code schema} already registered under {@code subject}, without
     * registering it: the path for producers running with auto-registration off.
     *
     * @throws SchemaNotFoundException when the subject does not exist or does not hold the schema
     */
    int lookup(String subject, Schema schema);

    /**
     * The schema with the given global id.
     *
     * @throws SchemaNotFoundException when the registry has no schema with that id
     */
    Schema schemaById(int id);

    /** Where this client points, for error messages: the registry's base URL. */
    String url();
}
