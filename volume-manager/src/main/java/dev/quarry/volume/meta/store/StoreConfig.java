package dev.quarry.volume.meta.store;

/**
 * Memory bounds of the metadata store: RocksDB's block cache (shared by all column families) and
 * the write buffers (memtables) of all column families together, charged to that cache. These,
 * not the volumes' sizes, bound the store's memory.
 *
 * <p>Immutable and thread-safe.
 *
 * @param blockCacheBytes the shared block cache
 * @param writeBufferBytes all memtables together
 * @param backgroundJobs RocksDB flush and compaction threads
 */
public record StoreConfig(long blockCacheBytes, long writeBufferBytes, int backgroundJobs) {

    /** 64 MiB cache, 64 MiB of memtables, two background jobs (the machine has two cores). */
    public static final StoreConfig DEFAULT = new StoreConfig(64L << 20, 64L << 20, 2);

    public StoreConfig {
        if (blockCacheBytes < (1 << 20) || writeBufferBytes < (4 << 20) || backgroundJobs < 1) {
            throw new IllegalArgumentException("store needs at least 1 MiB cache, 4 MiB write buffers and a background job");
        }
    }
}
