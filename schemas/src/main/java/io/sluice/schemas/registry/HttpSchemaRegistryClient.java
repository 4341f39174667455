package io.sluice.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.common.client.RegistrySettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, using only the
 * endpoints Confluent, Karapace and Apicurio's ccompat v7 share: {@code POST /subjects/{s}/versions},
 * {@code POST /subjects/{s}}, {@code GET /schemas/ids/{id}} and {@code PUT /config/{s}}.
 *
 * <p>Answers are cached in both directions for the life of the client, so steady-state
 * serialization never calls the registry. Transient failures are retried (see {@link RegistryHttp}).
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) { }

    private final RegistryClientConfig config;
    private final RegistryHttp http;
    // Keyed by Avro's Schema equality (structure, not doc): two schemas differing only in doc
    // share an id here, which is harmless since their binary encodings are identical.
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        this.http = new RegistryHttp(config, new ObjectMapper());
    }

    /** A client for the unauthenticated registry at {@code url} with default retries and timeouts. */
    public static HttpSchemaRegistryClient create(String url) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.of(url));
    }

    /** A client for the registry {@code registry} describes (auth, TLS), with default retries and timeouts. */
    public static HttpSchemaRegistryClient create(RegistrySettings registry) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.of(registry));
    }

    @Override
    public String url() {
        return config.url();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) return cached;
        RegistryHttp.Answer answer = http.post("/subjects/" + encode(subject) + "/versions", request(schema));
        if (answer.status() == 409) {
            throw new IncompatibleSchemaException(subject, answer.status(), answer.errorCode(), answer.message());
        }
        if (answer.status() == 422) {
            throw failure("registry rejected the schema for subject " + subject + " as invalid", answer);
        }
        if (!answer.ok()) throw failure("registering a schema under subject " + subject + " failed", answer);
        return remember(key, idOf(answer, "register under subject " + subject));
    }

    @Override
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) return cached;
        RegistryHttp.Answer answer = http.post("/subjects/" + encode(subject), request(schema));
        if (answer.status() == 404) {
            throw new SchemaNotFoundException("schema " + schema.getFullName() + " is not registered under subject "
                    + subject + " in registry " + url() + " (auto-registration is off; register it first): "
                    + answer.message(), answer.status(), answer.errorCode(), answer.message());
        }
        if (!answer.ok()) throw failure("looking up a schema under subject " + subject + " failed", answer);
        return remember(key, idOf(answer, "look up under subject " + subject));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemas.get(id);
        if (cached != null) return cached;
        RegistryHttp.Answer answer = http.get("/schemas/ids/" + id);
        if (answer.status() == 404) {
            throw new SchemaNotFoundException("schema id " + id + " not found in registry " + url()
                    + ": " + answer.message(), answer.status(), answer.errorCode(), answer.message());
        }
        if (!answer.ok()) throw failure("fetching schema id " + id + " failed", answer);
        JsonNode type = answer.body().get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException("schema id " + id + " in registry " + url() + " is " + type.asText()
                    + ", not AVRO", answer.status(), SchemaRegistryException.NO_ERROR_CODE, null);
        }
        JsonNode text = answer.body().get("schema");
        if (text == null || !text.isTextual()) {
            throw failure("registry answered GET /schemas/ids/" + id + " without a schema", answer);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("schema id " + id + " in registry " + url() + " is not valid Avro: "
                    + e.getMessage(), answer.status(), SchemaRegistryException.NO_ERROR_CODE, null, e);
        }
        Schema previous = schemas.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /**
     * Returns when the registry answers {@code GET /subjects} with success: a pre-flight check that the
     * URL names a Confluent-compatible registry and that the client settings (auth, TLS) are accepted.
     *
     * @throws SchemaRegistryException saying why not
     */
    public void checkAnswers() {
        RegistryHttp.Answer answer = http.get("/subjects");
        if (!answer.ok()) throw failure("listing the subjects failed", answer);
    }

    /** Sets the compatibility level of one subject ({@code PUT /config/{subject}}). */
    public void setCompatibility(String subject, Compatibility level) {
        RegistryHttp.Answer answer = http.put("/config/" + encode(subject), Map.of("compatibility", level.name()));
        if (!answer.ok()) throw failure("setting compatibility " + level + " on subject " + subject + " failed", answer);
    }

    private static Map<String, String> request(Schema schema) {
        // schemaType AVRO is the default everywhere and accepted explicitly by Confluent (5.5+),
        // Karapace and Apicurio.
        return Map.of("schema", schema.toString(), "schemaType", "AVRO");
    }

    private int remember(SubjectSchema key, int id) {
        ids.put(key, id);
        // What we sent is what the id means: decoding our own writes needs no further request.
        schemas.putIfAbsent(id, key.schema());
        return id;
    }

    private int idOf(RegistryHttp.Answer answer, String what) {
        JsonNode id = answer.body().get("id");
        if (id == null || !id.canConvertToInt()) {
            throw failure("registry answered " + what + " without an id", answer);
        }
        return id.asInt();
    }

    private SchemaRegistryException failure(String what, RegistryHttp.Answer answer) {
        String code = answer.errorCode() == SchemaRegistryException.NO_ERROR_CODE ? "" : ", error_code " + answer.errorCode();
        return new SchemaRegistryException(what + " (registry " + url() + ", HTTP " + answer.status() + code + "): "
                + answer.message(), answer.status(), answer.errorCode(), answer.message());
    }

    private static String encode(String subject) {
        if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("subject must not be empty");
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
