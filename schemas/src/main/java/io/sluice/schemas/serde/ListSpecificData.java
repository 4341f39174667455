package io.sluice.schemas.serde;

import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.util.ArrayList;
import java.util.Collection;

/**
 * The data model of a generated class (same class loader, same logical-type conversions) that
 * reads Avro arrays into {@link ArrayList}s instead of {@code GenericData.Array}. Avro's array type
 * compares itself through {@code GenericData.get()}, which has no logical-type conversions, so its
 * {@code equals} throws on a list of generated records holding a nullable timestamp (as UserRows'
 * row lists do); a plain list compares element by element with the generated {@code equals}.
 */
final class ListSpecificData extends SpecificData {

    ListSpecificData(SpecificData generated, ClassLoader loader) {
        super(loader);
        for (Conversion<?> conversion : generated.getConversions()) {
            addLogicalTypeConversion(conversion);
        }
    }

    /** The list-reading model for a generated SpecificRecord class. */
    static ListSpecificData forClass(Class<?> generated) {
        return new ListSpecificData(SpecificData.getForClass(generated), generated.getClassLoader());
    }

    @Override
    public Object newArray(Object old, int size, Schema schema) {
        if (old instanceof Collection<?> reused) {
            reused.clear();
            return reused;
        }
        return new ArrayList<>(size);
    }
}
