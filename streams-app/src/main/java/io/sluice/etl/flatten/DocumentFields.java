package io.sluice.etl.flatten;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Strict typed reads of document fields: an absent field or an explicit null is null (or an empty
 * array), a field of another type is an {@link UnmappableDocumentException} that names the field's
 * path, the type found and the types allowed. Numbers convert only without loss (an int64 into an
 * int column only when it fits, a double only when integral), so no row silently differs from its
 * document.
 */
final class DocumentFields {

    private DocumentFields() {
    }

    static String string(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        if (v.isString()) return v.asString().getValue();
        throw wrongType(path, key, v, "string");
    }

    static Integer int32(BsonDocument doc, String key, String path) {
        Long v = int64(doc, key, path);
        if (v == null) return null;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new UnmappableDocumentException(at(path, key) + " is " + v + ", outside the int32 range of its column");
        }
        return v.intValue();
    }

    static Long int64(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        return integral(v, at(path, key));
    }

    /** An integer from int32, int64, or an integral double or decimal (as JavaScript clients write numbers). */
    static long integral(BsonValue v, String where) {
        switch (v.getBsonType()) {
            case INT32: return v.asInt32().getValue();
            case INT64: return v.asInt64().getValue();
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (d == Math.rint(d) && Math.abs(d) < 0x1p53) return (long) d;
                throw new UnmappableDocumentException(where + " is " + d + ", not an integer");
            }
            case DECIMAL128: {
                Decimal128 d = v.asDecimal128().getValue();
                if (d.isNaN() || d.isInfinite()) throw new UnmappableDocumentException(where + " is " + d + ", not an integer");
                try {
                    return BsonNumbers.bigDecimal(d).longValueExact();
                } catch (ArithmeticException e) {
                    throw new UnmappableDocumentException(where + " is " + v.asDecimal128().getValue() + ", not an int64", e);
                }
            }
            default: throw wrongType(where, v, "int32, int64, integral double or decimal");
        }
    }

    static Boolean bool(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        if (v.isBoolean()) return v.asBoolean().getValue();
        throw wrongType(path, key, v, "boolean");
    }

    /** A date: a BSON date, or a string in ISO-8601 ({@code 2024-05-01T10:00:00Z}) as imported data often has. */
    static Instant instant(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        if (v.isDateTime()) return Instant.ofEpochMilli(v.asDateTime().getValue());
        if (v.isString()) {
            try {
                return Instant.parse(v.asString().getValue());
            } catch (DateTimeParseException e) {
                throw new UnmappableDocumentException(at(path, key) + " is the string '" + v.asString().getValue()
                        + "', not an ISO-8601 instant", e);
            }
        }
        throw wrongType(path, key, v, "date or ISO-8601 string");
    }

    /** The UTC calendar date of a date field (the columns of type date drop the time of day). */
    static LocalDate date(BsonDocument doc, String key, String path) {
        Instant instant = instant(doc, key, path);
        return instant == null ? null : LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A number as exact decimal text for a NUMERIC column: Decimal128 as is, a double in its shortest form. */
    static String decimalText(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        return switch (v.getBsonType()) {
            case DECIMAL128 -> {
                Decimal128 d = v.asDecimal128().getValue();
                if (d.isNaN() || d.isInfinite()) {
                    // Not mapped although PostgreSQL's numeric takes NaN (and ±Infinity from 14 on): the rows carry exact
                    // decimal text that any reader can take as a BigDecimal, and a NaN amount would poison every sum.
                    throw new UnmappableDocumentException(at(path, key) + " is " + d + "; only finite decimals are mapped");
                }
                yield numericText(BsonNumbers.bigDecimal(d), at(path, key));
            }
            case DOUBLE -> {
                double d = v.asDouble().getValue();
                if (!Double.isFinite(d)) throw new UnmappableDocumentException(at(path, key) + " is " + d + ", not a finite number");
                yield BsonNumbers.shortestDecimal(d);
            }
            case INT32 -> Integer.toString(v.asInt32().getValue());
            case INT64 -> Long.toString(v.asInt64().getValue());
            case STRING -> {
                try {
                    yield numericText(new BigDecimal(v.asString().getValue().trim()), at(path, key));
                } catch (NumberFormatException e) {
                    throw new UnmappableDocumentException(at(path, key) + " is the string '" + v.asString().getValue()
                            + "', not a decimal number", e);
                }
            }
            default -> throw wrongType(path, key, v, "decimal, double, int32, int64 or numeric string");
        };
    }

    /** PostgreSQL's numeric limits: digits before and after the point. */
    static final int NUMERIC_MAX_INTEGER_DIGITS = 131_072;
    static final int NUMERIC_MAX_FRACTION_DIGITS = 16_383;

    /** Plain text of a decimal a numeric column can hold; a string like "1e999999999" would be a billion digits. */
    private static String numericText(BigDecimal d, String where) {
        if (d.scale() > NUMERIC_MAX_FRACTION_DIGITS || (long) d.precision() - d.scale() > NUMERIC_MAX_INTEGER_DIGITS) {
            throw new UnmappableDocumentException(where + " is " + d + ", outside PostgreSQL's numeric range ("
                    + NUMERIC_MAX_INTEGER_DIGITS + " digits before the point, " + NUMERIC_MAX_FRACTION_DIGITS + " after)");
        }
        return d.toPlainString();
    }

    /** A nested document, or null when absent or null. */
    static BsonDocument document(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return null;
        if (v.isDocument()) return v.asDocument();
        throw wrongType(path, key, v, "document");
    }

    /** An array, empty when absent or null. */
    static BsonArray array(BsonDocument doc, String key, String path) {
        BsonValue v = value(doc, key);
        if (v == null) return new BsonArray();
        if (v.isArray()) return v.asArray();
        throw wrongType(path, key, v, "array");
    }

    /** Element {@code index} of an array of documents. */
    static BsonDocument element(BsonArray array, int index, String path) {
        BsonValue v = array.get(index);
        if (v.isDocument()) return v.asDocument();
        throw wrongType(path + "[" + index + "]", v, "document");
    }

    /** Any value, as plain JSON text (jsonb); null when absent or null. */
    static String json(BsonDocument doc, String key) {
        BsonValue v = value(doc, key);
        return v == null ? null : MongoExtendedJson.toPlainJson(v);
    }

    private static BsonValue value(BsonDocument doc, String key) {
        if (doc == null) return null;
        BsonValue v = doc.get(key);
        return v == null || v.getBsonType() == BsonType.NULL || v.getBsonType() == BsonType.UNDEFINED ? null : v;
    }

    static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static UnmappableDocumentException wrongType(String path, String key, BsonValue v, String allowed) {
        return wrongType(at(path, key), v, allowed);
    }

    private static UnmappableDocumentException wrongType(String where, BsonValue v, String allowed) {
        return new UnmappableDocumentException(where + " is a " + v.getBsonType().name().toLowerCase() + "; allowed: " + allowed);
    }
}
