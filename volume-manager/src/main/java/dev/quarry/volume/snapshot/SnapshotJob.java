package dev.quarry.volume.snapshot;

import dev.quarry.volume.pool.ProgressJob;
import java.util.concurrent.CancellationException;

/**
 * A long snapshot operation (reclaiming a deleted snapshot's blocks, a rollback, copying a
 * clone's map) reported as a job; progress is the volume's address space walked, in bytes.
 *
 * <p>Thread-safe.
 */
final class SnapshotJob extends ProgressJob {

    private final String description;

    SnapshotJob(String id, String description, long totalBytes) {
        super(id, totalBytes);
        this.description = description;
    }

    /**
     * Ends a resumable job between two of its batches when the manager is closing (the job thread
     * was interrupted): what is done is durable, and the rest resumes at the next start.
     */
    static void stopIfShuttingDown() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("stopped by shutdown; resumes at the next start");
        }
    }

    @Override
    public String description() {
        return description;
    }
}
