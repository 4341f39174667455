package io.sluice.schemas.serde;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A DatumWriter and a DatumReader for a generated SpecificRecord class, compiled once from its schema
 * into a tree of small field codecs, for the schemas sluice's hot topics use: records, arrays, unions
 * of null and one type, strings, longs, ints, booleans, doubles, floats, and logical types through the
 * class's own conversions. Same bytes as Avro's SpecificDatumWriter, same objects as its reader with
 * {@link ListSpecificData} (arrays as ArrayLists), without the per-field lookups (union resolution by
 * schema name, conversion by class, a resolving decoder) that made Avro's generic machinery most of
 * the cost of writing a several-KB etl.user-rows bundle and reading it back.
 *
 * <p>A schema with anything else (enums, maps, fixed, bytes, wider unions) compiles to null and the
 * caller keeps Avro's own writer and reader. The reader only reads data written with this very schema
 * (the caller checks): there is no schema resolution here.
 */
final class CompiledSpecific {

    private interface Write {
        void write(Object value, Encoder out) throws IOException;
    }

    private interface Read {
        Object read(Decoder in) throws IOException;
    }

    /** The schema contains a type this class does not compile. */
    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final String NULL_VALUE = "null value for (non-nullable) ";

    private CompiledSpecific() {
    }

    /** A writer for values of {@code schema} in {@code model}, or null when the schema is not supported. */
    static DatumWriter<Object> writer(Schema schema, SpecificData model) {
        try {
            Write write = write(schema, model);
            return new DatumWriter<>() {
                @Override
                public void setSchema(Schema ignored) {
                }

                @Override
                public void write(Object datum, Encoder out) throws IOException {
                    write.write(datum, out);
                }
            };
        } catch (Unsupported e) {
            return null;
        }
    }

    /** A reader of data written with {@code schema}, into {@code model}'s classes, or null when not supported. */
    static DatumReader<Object> reader(Schema schema, SpecificData model) {
        try {
            Read read = read(schema, model);
            return new DatumReader<>() {
                @Override
                public void setSchema(Schema ignored) {
                }

                @Override
                public Object read(Object reuse, Decoder in) throws IOException {
                    return read.read(in);
                }
            };
        } catch (Unsupported e) {
            return null;
        }
    }

    private static Write write(Schema schema, SpecificData model) throws Unsupported {
        Conversion<Object> conversion = conversion(schema, model);
        Write base = baseWrite(schema, model);
        if (conversion == null) return base;
        LogicalType logicalType = schema.getLogicalType();
        return (v, out) -> base.write(Conversions.convertToRawType(v, schema, logicalType, conversion), out);
    }

    private static Write baseWrite(Schema schema, SpecificData model) throws Unsupported {
        return switch (schema.getType()) {
            case RECORD -> {
                List<Schema.Field> fields = schema.getFields();
                Write[] writes = new Write[fields.size()];
                for (Schema.Field f : fields) writes[f.pos()] = field(f, write(f.schema(), model));
                yield (v, out) -> {
                    IndexedRecord r = (IndexedRecord) v;
                    for (int i = 0; i < writes.length; i++) writes[i].write(r.get(i), out);
                };
            }
            case ARRAY -> {
                Write item = write(schema.getElementType(), model);
                yield (v, out) -> {
                    Collection<?> items = (Collection<?>) v;
                    out.writeArrayStart();
                    out.setItemCount(items.size());
                    for (Object o : items) {
                        out.startItem();
                        item.write(o, out);
                    }
                    out.writeArrayEnd();
                };
            }
            case UNION -> {
                int nullIndex = nullBranch(schema);
                int valueIndex = 1 - nullIndex;
                Write value = write(schema.getTypes().get(valueIndex), model);
                yield (v, out) -> {
                    if (v == null) {
                        out.writeIndex(nullIndex);
                        out.writeNull();
                    } else {
                        out.writeIndex(valueIndex);
                        value.write(v, out);
                    }
                };
            }
            case STRING -> (v, out) -> {
                if (v instanceof String s) out.writeString(s);
                else out.writeString((CharSequence) v);
            };
            case LONG -> (v, out) -> out.writeLong(((Number) v).longValue());
            case INT -> (v, out) -> out.writeInt(((Number) v).intValue());
            case BOOLEAN -> (v, out) -> out.writeBoolean((Boolean) v);
            case DOUBLE -> (v, out) -> out.writeDouble(((Number) v).doubleValue());
            case FLOAT -> (v, out) -> out.writeFloat(((Number) v).floatValue());
            case NULL -> (v, out) -> out.writeNull();
            default -> throw new Unsupported();
        };
    }

    /** Names the innermost field whose value is a null where its schema has no null, as Avro's writer does. */
    private static Write field(Schema.Field f, Write write) {
        return (v, out) -> {
            try {
                write.write(v, out);
            } catch (NullPointerException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(NULL_VALUE)) throw e;
                NullPointerException named = new NullPointerException(NULL_VALUE + f.schema().getType().getName() + " in field " + f.name());
                named.initCause(e);
                throw named;
            }
        };
    }

    private static Read read(Schema schema, SpecificData model) throws Unsupported {
        Conversion<Object> conversion = conversion(schema, model);
        Read base = baseRead(schema, model);
        if (conversion == null) return base;
        LogicalType logicalType = schema.getLogicalType();
        return in -> Conversions.convertToLogicalType(base.read(in), schema, logicalType, conversion);
    }

    private static Read baseRead(Schema schema, SpecificData model) throws Unsupported {
        return switch (schema.getType()) {
            case RECORD -> {
                Constructor<?> constructor = constructor(schema, model);
                List<Schema.Field> fields = schema.getFields();
                Read[] reads = new Read[fields.size()];
                for (Schema.Field f : fields) reads[f.pos()] = read(f.schema(), model);
                yield in -> {
                    IndexedRecord r = newRecord(constructor);
                    for (int i = 0; i < reads.length; i++) r.put(i, reads[i].read(in));
                    return r;
                };
            }
            case ARRAY -> {
                Read item = read(schema.getElementType(), model);
                yield in -> {
                    long n = in.readArrayStart();
                    List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
                    for (; n > 0; n = in.arrayNext()) {
                        for (long i = 0; i < n; i++) items.add(item.read(in));
                    }
                    return items;
                };
            }
            case UNION -> {
                int nullIndex = nullBranch(schema);
                int valueIndex = 1 - nullIndex;
                Read value = read(schema.getTypes().get(valueIndex), model);
                yield in -> {
                    int index = in.readIndex();
                    if (index == nullIndex) {
                        in.readNull();
                        return null;
                    }
                    if (index == valueIndex) return value.read(in);
                    throw new AvroRuntimeException("union branch " + index + " out of range in " + schema);
                };
            }
            case STRING -> Decoder::readString;
            case LONG -> Decoder::readLong;
            case INT -> Decoder::readInt;
            case BOOLEAN -> Decoder::readBoolean;
            case DOUBLE -> Decoder::readDouble;
            case FLOAT -> Decoder::readFloat;
            case NULL -> in -> {
                in.readNull();
                return null;
            };
            default -> throw new Unsupported();
        };
    }

    /** The index of the null branch of a union of null and one other type. */
    private static int nullBranch(Schema union) throws Unsupported {
        List<Schema> types = union.getTypes();
        if (types.size() != 2) throw new Unsupported();
        if (types.get(0).getType() == Schema.Type.NULL && types.get(1).getType() != Schema.Type.NULL) return 0;
        if (types.get(1).getType() == Schema.Type.NULL && types.get(0).getType() != Schema.Type.NULL) return 1;
        throw new Unsupported();
    }

    @SuppressWarnings("unchecked")
    private static Conversion<Object> conversion(Schema schema, SpecificData model) {
        LogicalType logicalType = schema.getLogicalType();
        return logicalType == null ? null : (Conversion<Object>) model.getConversionFor(logicalType);
    }

    /** The generated class's no-argument constructor; a record without one is not compiled. */
    private static Constructor<?> constructor(Schema schema, SpecificData model) throws Unsupported {
        Class<?> type = model.getClass(schema);
        if (type == null || !IndexedRecord.class.isAssignableFrom(type)) throw new Unsupported();
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new Unsupported();
        }
    }

    private static IndexedRecord newRecord(Constructor<?> constructor) {
        try {
            return (IndexedRecord) constructor.newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new AvroRuntimeException("cannot create " + constructor.getDeclaringClass().getName(), e);
        }
    }
}
