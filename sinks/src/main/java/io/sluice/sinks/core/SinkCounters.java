package io.sluice.sinks.core;

/**
 * A snapshot of what an {@link ExactlyOnceSink} has done since it was created.
 *
 * @param recordsWritten records handed to the writer in committed transactions
 * @param batches        committed transactions
 * @param deadLettered   records reported to the {@link ErrorReporter} in committed transactions
 * @param retries        failed attempts (transient PostgreSQL or dead-letter failures) that were retried
 * @param fenced         times a partition was found already advanced by another instance
 */
public record SinkCounters(long recordsWritten, long batches, long deadLettered, long retries, long fenced) {
}
