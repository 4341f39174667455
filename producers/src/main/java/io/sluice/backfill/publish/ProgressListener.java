package io.sluice.backfill.publish;

/** Receives {@link PublishProgress} snapshots, at most every {@link DidPublisher#PROGRESS_INTERVAL} and once at the end. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> { };

    void onProgress(PublishProgress progress);
}
