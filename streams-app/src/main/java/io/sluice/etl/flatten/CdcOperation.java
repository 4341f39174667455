package io.sluice.etl.flatten;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code op} of a Debezium change event that the flattener handles. */
enum CdcOperation {
    CREATE("c"), READ("r"), UPDATE("u"), DELETE("d");

    private final String code;

    CdcOperation(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    /** Strictly parses an op code; anything else (e.g. {@code t} truncate, {@code m} message) is unmappable. */
    static CdcOperation parse(String code) {
        for (CdcOperation op : values()) {
            if (op.code.equals(code)) return op;
        }
        throw new UnmappableDocumentException("op '" + code + "' is not a users change; allowed: "
                + Arrays.stream(values()).map(o -> o.code + " (" + o.name().toLowerCase() + ")").collect(Collectors.joining(", ")));
    }
}
