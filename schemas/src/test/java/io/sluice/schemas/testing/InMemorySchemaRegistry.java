package io.sluice.schemas.testing;

import io.sluice.schemas.registry.IncompatibleSchemaException;
import io.sluice.schemas.registry.SchemaNotFoundException;
import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A schema registry in memory, for unit and topology tests: ids are global and shared by equal
 * schemas (as in Confluent's registry), and every subject enforces BACKWARD compatibility against
 * its latest schema, so tests see the same refusals the real registry gives. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final Map<String, List<Schema>> subjects = new ConcurrentHashMap<>();
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger requests = new AtomicInteger();

    @Override
    public synchronized int register(String subject, Schema schema) {
        requests.incrementAndGet();
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            if (!versions.isEmpty()) {
                Schema latest = versions.get(versions.size() - 1);
                var check = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
                if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new IncompatibleSchemaException(subject, 409, 409, check.getDescription());
                }
            }
            versions.add(schema);
        }
        return ids.computeIfAbsent(schema, s -> {
            int id = nextId.getAndIncrement();
            schemas.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        requests.incrementAndGet();
        List<Schema> versions = subjects.get(subject);
        if (versions == null || !versions.contains(schema)) {
            throw new SchemaNotFoundException("schema " + schema.getFullName() + " is not registered under subject "
                    + subject + " in registry " + url(), 404, versions == null ? 40401 : 40403, "not found");
        }
        return ids.get(schema);
    }

    @Override
    public Schema schemaById(int id) {
        requests.incrementAndGet();
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("schema id " + id + " not found in registry " + url(), 404, 40403,
                    "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public String url() {
        return "mem://registry";
    }

    /** The schemas registered under {@code subject}, oldest first. */
    public synchronized List<Schema> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    /** How many calls this registry has answered, to check callers cache. */
    public int requests() {
        return requests.get();
    }
}
