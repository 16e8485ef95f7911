package dev.quarry.volume.pool;

import java.util.concurrent.CompletableFuture;

/**
 * A long operation the admin layer reports as a job (202 + /jobs/{id}): removing a disk drains
 * its live chunks to the pool's other disks first.
 *
 * <p>Implementations are thread-safe; figures are snapshots.
 */
public interface Job {

    /** How a job stands. */
    enum State { RUNNING, SUCCEEDED, FAILED }

    String id();

    /** What the job does, for people. */
    String description();

    State state();

    /** Progress, 0 to 100. */
    double percent();

    /** Bytes processed per second since the job started. */
    long bytesPerSecond();

    long bytesDone();

    long bytesTotal();

    /** Completes when the job succeeded, fails with the reason when it failed. */
    CompletableFuture<Void> completion();
}
