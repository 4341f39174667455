package io.sluice.stack;

/**
 * The embedded stack used by {@code sluice stack}, {@code sluice demo} and the tests: a KRaft broker
 * in this JVM, Apicurio Registry as a child process and a PostgreSQL server, each replaced by an
 * external service when its {@code SLUICE_*} variable is set. Closing it stops what it started.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** Starts the stack configured by the {@code SLUICE_*} environment variables. */
    public static EmbeddedStack start() {
        return start(StackConfig.fromEnvironment());
    }

    public static EmbeddedStack start(StackConfig config) {
        throw new UnsupportedOperationException("not yet");
    }

    public StackEndpoints endpoints() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() {
    }
}
