package dev.quarry.volume.pool;

import java.util.Collection;

/**
 * The open pools, and which pool a disk belongs to.
 *
 * <p>Implementations are thread-safe.
 */
public interface PoolDirectory {

    Collection<Pool> pools();

    /** The pool holding disk {@code diskId}, or null. */
    Pool poolOfDisk(int diskId);
}
