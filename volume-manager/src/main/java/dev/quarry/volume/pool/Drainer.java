package dev.quarry.volume.pool;

import dev.quarry.volume.disk.BackendDisk;

/**
 * Relocates the live chunks of a disk that leaves its pool (the garbage collector does it).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface Drainer {

    /** Starts draining; {@code onDrained} runs once the disk holds nothing. */
    Job drain(Pool pool, BackendDisk disk, Runnable onDrained);
}
