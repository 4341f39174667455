package io.sluice.backfill.publish;

/**
 * A snapshot of a running {@link DidPublisher#publish}.
 *
 * @param lines      lines read so far
 * @param sent       DIDs handed to the producer
 * @param published  DIDs the broker has acknowledged
 * @param duplicates valid DIDs dropped because they appeared before
 * @param invalid    lines that are not DIDs
 * @param bytesRead  bytes of input read
 * @param totalBytes size of the input, or -1 when unknown (stdin)
 */
public record PublishProgress(long lines, long sent, long published, long duplicates, long invalid,
                              long bytesRead, long totalBytes) {

    /** Fraction of the input read, 0..1, or -1 when the size is unknown. */
    public double fraction() {
        if (totalBytes <= 0) return totalBytes == 0 ? 1 : -1;
        return Math.min(1.0, (double) bytesRead / totalBytes);
    }
}
