package dev.quarry.volume.chunk;

import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SystemKey;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out chunk ids in increasing order, never twice, even across crashes: ids are reserved
 * in ranges whose end is written (synced) to the {@code system} family before any id of the range
 * is used; after a restart the next id is the last reserved end.
 *
 * <p>Thread-safe. {@link #next()} blocks in RocksDB once per range (a million ids).
 */
public final class ChunkIdAllocator {

    private static final long RANGE = 1L << 20;

    private final MetadataStore store;
    private final AtomicLong next;
    private volatile long limit;

    public ChunkIdAllocator(MetadataStore store) {
        this.store = store;
        Long reserved = store.get(Schema.SYSTEM, SystemKey.CHUNK_ID_LIMIT);
        long start = reserved == null ? 1 : reserved;
        this.next = new AtomicLong(start);
        this.limit = start;
    }

    /** A fresh chunk id. */
    public long next() {
        long id = next.getAndIncrement();
        if (id >= limit) {
            reserve(id);
        }
        return id;
    }

    private synchronized void reserve(long id) {
        if (id < limit) {
            return;
        }
        long end = id + RANGE;
        try (Batch batch = store.batch()) {
            batch.put(Schema.SYSTEM, SystemKey.CHUNK_ID_LIMIT, end);
            store.write(batch, true);
        }
        limit = end;
    }
}
