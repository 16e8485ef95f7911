package dev.quarry.volume.chunk;

import dev.quarry.volume.disk.BackendDisk;

/**
 * Finds the backend disk of a placement.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface DiskDirectory {

    /** The disk with {@code diskId}, or null when it is not (any more) attached. */
    BackendDisk disk(int diskId);
}
