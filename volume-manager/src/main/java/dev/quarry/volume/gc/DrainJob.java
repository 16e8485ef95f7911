package dev.quarry.volume.gc;

import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.pool.Pool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draining a disk before its removal: the collector relocates the live chunks of every segment
 * of the disk to the pool's other disks; progress is bytes relocated against the disk's live
 * bytes when the job started.
 *
 * <p>Thread-safe.
 */
public final class DrainJob implements Job {

    private final String id;
    private final Pool pool;
    private final BackendDisk disk;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final Runnable onDrained;

    DrainJob(String id, Pool pool, BackendDisk disk, Runnable onDrained) {
        this.id = id;
        this.pool = pool;
        this.disk = disk;
        this.total = Math.max(0, disk.liveBytes());
        this.onDrained = onDrained;
    }

    Pool pool() {
        return pool;
    }

    BackendDisk disk() {
        return disk;
    }

    void relocated(long bytes) {
        done.addAndGet(bytes);
    }

    /** The disk holds no segment any more: detach it and finish. */
    void finish() {
        try {
            onDrained.run();
            completion.complete(null);
        } catch (RuntimeException e) {
            completion.completeExceptionally(e);
        }
    }

    void fail(Throwable cause) {
        completion.completeExceptionally(cause);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "drain disk " + disk.id() + " of pool " + pool.record().name();
    }

    @Override
    public State state() {
        if (!completion.isDone()) {
            return State.RUNNING;
        }
        return completion.isCompletedExceptionally() ? State.FAILED : State.SUCCEEDED;
    }

    @Override
    public double percent() {
        if (state() == State.SUCCEEDED) {
            return 100.0;
        }
        return total == 0 ? 0.0 : Math.min(99.9, 100.0 * done.get() / total);
    }

    @Override
    public long bytesPerSecond() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        return (long) (done.get() / seconds);
    }

    @Override
    public long bytesDone() {
        return done.get();
    }

    @Override
    public long bytesTotal() {
        return total;
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }
}
