package io.sluice.etl.flatten;

/** A document with a field the mapping does not know, under {@link UnknownFields#DLQ}: reason {@code unknown-field}. */
public class UnknownFieldException extends UnmappableDocumentException {

    private final String path;

    public UnknownFieldException(String path) {
        super(path + " is not a field the mapping knows (--unknown-fields dlq)");
        this.path = path;
    }

    /** The field's path, e.g. {@code profile.education[2].gpa}. */
    public String path() {
        return path;
    }
}
