package dev.quarry.volume.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bookkeeping every long job shares: bytes done against a total fixed at the start, the rate
 * since the start, and a completion whose outcome is the job's state. Subclasses say what they
 * do; the work that runs the job reports through {@link #advance} or {@link #reached} and ends it
 * with {@link #succeeded} or {@link #failed} (callers that hold only a {@link Job} cannot).
 *
 * <p>Thread-safe.
 */
public abstract class ProgressJob implements Job {

    private final String id;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    protected ProgressJob(String id, long totalBytes) {
        this.id = id;
        this.total = Math.max(0, totalBytes);
    }

    /** {@code bytes} more are done. */
    public void advance(long bytes) {
        done.addAndGet(bytes);
    }

    /** The work reached {@code bytes} of the total (never moves back). */
    public void reached(long bytes) {
        done.accumulateAndGet(Math.min(bytes, total), Math::max);
    }

    /** The job succeeded: all of it is done. */
    public void succeeded() {
        done.accumulateAndGet(total, Math::max);
        completion.complete(null);
    }

    public void failed(Throwable cause) {
        completion.completeExceptionally(cause);
    }

    @Override
    public String id() {
        return id;
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
