package io.sluice.etl.flatten;

import io.sluice.schemas.etl.UserRows;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.bson.BsonDocument;

import java.time.Instant;

/**
 * Maps one Debezium MongoDB change event (key {@code {id}}, value the envelope {@code op},
 * {@code after}, {@code source}, …, both already decoded from Avro) to the user's row bundle.
 *
 * <p>Create, snapshot read and update (a full document, as {@code capture.mode=change_streams_update_full}
 * delivers) give all the user's rows from {@code after}; a delete gives the deletion bundle for the
 * user id in the key. The bundle's {@code source_ts} and {@code source_ord} are the envelope's
 * {@code source.ts_ms} and {@code source.ord}: the change's cluster time (seconds) and its increment
 * within that second, which together order the changes to one document (a snapshot read carries the
 * snapshot's position), so the sink can keep the newest. Anything else is an
 * {@link UnmappableDocumentException}. Tombstones never get here: the delete event before them has
 * done the work and carries the position.
 */
final class CdcEvents {

    private CdcEvents() {
    }

    static UserRows toRows(GenericRecord key, GenericRecord envelope) {
        return toRows(key, envelope, UnknownFields.IGNORE);
    }

    /** As {@link #toRows(GenericRecord, GenericRecord)}; under {@link UnknownFields#DLQ} an unknown field is an {@link UnknownFieldException}. */
    static UserRows toRows(GenericRecord key, GenericRecord envelope, UnknownFields unknownFields) {
        long keyId = keyUserId(key);
        CdcOperation op = CdcOperation.parse(text(envelope, "op"));
        GenericRecord source = source(envelope);
        Instant sourceTs = sourceTs(source);
        Integer sourceOrd = sourceOrd(source);
        if (op == CdcOperation.DELETE) return withOrd(UserFlattener.deleted(keyId, sourceTs), sourceOrd);
        Object after = value(envelope, "after");
        if (after == null) {
            throw new UnmappableDocumentException("op " + op.code() + " without the full document in 'after'"
                    + (op == CdcOperation.UPDATE ? " (the connector must run with capture.mode=change_streams_update_full)" : ""));
        }
        // A generic record holds strings as Utf8: parsed as the bytes they are, not decoded into a String first.
        BsonDocument doc = after instanceof Utf8 utf8 ? MongoExtendedJson.parseDocument(utf8.getBytes(), 0, utf8.getByteLength())
                : MongoExtendedJson.parseDocument(after.toString());
        long docId = UserFlattener.userId(doc);
        if (docId != keyId) {
            throw new UnmappableDocumentException("the key's id " + keyId + " differs from the document's _id " + docId);
        }
        if (unknownFields == UnknownFields.DLQ) KnownFields.requireKnown(doc);
        return withOrd(UserFlattener.flatten(doc, sourceTs), sourceOrd);
    }

    private static UserRows withOrd(UserRows rows, Integer sourceOrd) {
        rows.setSourceOrd(sourceOrd);
        return rows;
    }

    static long keyUserId(GenericRecord key) {
        if (key == null) throw new UnmappableDocumentException("the event has no key; a Debezium MongoDB key is {id: <_id>}");
        if (key.getSchema().getField("id") == null) {
            throw new UnmappableDocumentException("the key " + key.getSchema().getFullName() + " has no field 'id'");
        }
        Object id = key.get("id");
        if (id == null) throw new UnmappableDocumentException("the key's id is null");
        return DocumentFields.integral(MongoExtendedJson.parseKeyId(id.toString()), "the key's id");
    }

    private static GenericRecord source(GenericRecord envelope) {
        if (envelope.getSchema().getField("source") == null || !(envelope.get("source") instanceof GenericRecord source)) {
            throw new UnmappableDocumentException("the envelope has no 'source' block");
        }
        return source;
    }

    private static Instant sourceTs(GenericRecord source) {
        if (!(source.get("ts_ms") instanceof Long tsMs)) {
            throw new UnmappableDocumentException("the envelope's source.ts_ms is missing or not a long");
        }
        return Instant.ofEpochMilli(tsMs);
    }

    /**
     * The increment within the cluster time's second; null when the source block has none (not a
     * MongoDB event), and then the sink orders by ts_ms alone.
     */
    private static Integer sourceOrd(GenericRecord source) {
        if (source.getSchema().getField("ord") == null || source.get("ord") == null) return null;
        if (!(source.get("ord") instanceof Integer ord)) {
            throw new UnmappableDocumentException("the envelope's source.ord is not an int");
        }
        return ord;
    }

    private static String text(GenericRecord record, String field) {
        Object value = value(record, field);
        return value == null ? null : value.toString();
    }

    private static Object value(GenericRecord record, String field) {
        if (record.getSchema().getField(field) == null) {
            throw new UnmappableDocumentException("the envelope " + record.getSchema().getFullName() + " has no field '" + field
                    + "'; is this a Debezium MongoDB change event?");
        }
        return record.get(field);
    }
}
