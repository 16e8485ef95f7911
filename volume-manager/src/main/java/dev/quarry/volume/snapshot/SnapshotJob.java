package dev.quarry.volume.snapshot;

import dev.quarry.volume.pool.Job;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long snapshot operation (reclaiming a deleted snapshot's blocks, a rollback, copying a
 * clone's map) reported as a job; progress is the volume's address space walked, in bytes.
 *
 * <p>Thread-safe.
 */
final class SnapshotJob implements Job {

    private final String id;
    private final String description;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    SnapshotJob(String id, String description, long totalBytes) {
        this.id = id;
        this.description = description;
        this.total = totalBytes;
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

    /** The walk reached {@code bytes} of the address space. */
    void reached(long bytes) {
        done.accumulateAndGet(Math.min(bytes, total), Math::max);
    }

    void succeeded() {
        done.set(total);
        completion.complete(null);
    }

    void failed(Throwable cause) {
        completion.completeExceptionally(cause);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
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
