package dev.quarry.volume.pool;

import dev.quarry.block.BlockDevice;
import dev.quarry.volume.disk.DiskRecord;
import java.util.List;
import java.util.Optional;

/**
 * What the admin layer (REST, CLI) does with pools. Creating is idempotent by name: the same
 * request again returns the existing pool; a different one under the same name is refused.
 *
 * <p>Thread-safe. Methods block (RocksDB, disk labels): call from admin worker threads.
 */
public interface PoolService {

    PoolRecord createPool(PoolSpec spec);

    List<PoolRecord> listPools();

    Optional<PoolRecord> pool(String name);

    /** The backend disks of pool {@code pool}, by id; {@link IllegalArgumentException} when there is no such pool. */
    List<DiskRecord> disks(String pool);

    /** Adds a disk opened from its locator; labels it. Adding the same disk again returns its record. */
    DiskRecord addDisk(String pool, DiskSpec spec);

    /** Adds an already opened device (remote LUN, test decorator); the pool owns it from now on. */
    DiskRecord addDisk(String pool, DiskSpec spec, BlockDevice device);

    /**
     * Starts draining a disk and removes it when empty; the job reports percent and rate. A disk
     * already draining (a restart resumed it) returns the running job.
     */
    Job removeDisk(String pool, int diskId);

    PoolStatistics statistics(String pool);

    /**
     * Deletes an empty pool: refused ({@link IllegalStateException}) while a volume uses it or
     * space of deleted volumes is still being reclaimed in it. Its disks are released with their
     * labels erased, so they can join another pool. {@link IllegalArgumentException} when there
     * is no such pool.
     */
    void deletePool(String pool);
}
