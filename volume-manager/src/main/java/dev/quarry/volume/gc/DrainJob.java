package dev.quarry.volume.gc;

import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.pool.ProgressJob;
import dev.quarry.volume.pool.Pool;

/**
 * Draining a disk before its removal: the collector relocates the live chunks of every segment
 * of the disk to the pool's other disks; progress is bytes relocated against the disk's live
 * bytes when the job started.
 *
 * <p>Thread-safe.
 */
public final class DrainJob extends ProgressJob {

    private final Pool pool;
    private final BackendDisk disk;
    private final Runnable onDrained;

    DrainJob(String id, Pool pool, BackendDisk disk, Runnable onDrained) {
        super(id, disk.liveBytes());
        this.pool = pool;
        this.disk = disk;
        this.onDrained = onDrained;
    }

    Pool pool() {
        return pool;
    }

    BackendDisk disk() {
        return disk;
    }

    void relocated(long bytes) {
        advance(bytes);
    }

    /** The disk holds no segment any more: detach it and finish. */
    void finish() {
        try {
            onDrained.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    void fail(Throwable cause) {
        failed(cause);
    }

    @Override
    public String description() {
        return "drain disk " + disk.id() + " of pool " + pool.record().name();
    }
}
