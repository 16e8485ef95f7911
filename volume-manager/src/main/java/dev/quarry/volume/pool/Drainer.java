package dev.quarry.volume.pool;

import dev.quarry.volume.disk.BackendDisk;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The garbage collector as the pools see it: it relocates the live chunks of a disk that leaves
 * its pool, and runs work that must not overlap a cleaning pass (deleting a pool).
 *
 * <p>Implementations are thread-safe.
 */
public interface Drainer {

    /** Starts draining; {@code onDrained} runs once the disk holds nothing. */
    Job drain(Pool pool, BackendDisk disk, Runnable onDrained);

    /** Runs {@code task} on the collector's thread between passes. */
    <T> CompletableFuture<T> submit(Supplier<T> task);
}
