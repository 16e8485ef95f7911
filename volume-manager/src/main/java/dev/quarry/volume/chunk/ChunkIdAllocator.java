package dev.quarry.volume.chunk;

import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SystemKey;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out chunk ids in increasing order, never twice, even across crashes: ids are reserved
 * in ranges whose end is written (synced) to the {@code system} family before any id of the range
 * is used; after a restart the next id is the last reserved end.
 *
 * <p>Thread-safe. {@link #next()} blocks in RocksDB when a range runs out; {@link #tryNext()}
 * never blocks: the next range is reserved in the background when half of the current one is used.
 */
public final class ChunkIdAllocator {

    private static final long RANGE = 1L << 20;

    private final MetadataStore store;
    private final Executor background;
    private final AtomicBoolean extending = new AtomicBoolean();
    private final AtomicLong next;
    private volatile long limit;

    /** {@code background} reserves ranges ahead of need (a volume thread: it blocks in RocksDB). */
    public ChunkIdAllocator(MetadataStore store, Executor background) {
        this.store = store;
        this.background = background;
        Long reserved = store.get(Schema.SYSTEM, SystemKey.CHUNK_ID_LIMIT);
        long start = reserved == null ? 1 : reserved;
        this.next = new AtomicLong(start);
        this.limit = start;
    }

    /** A fresh chunk id; may block in RocksDB to reserve a range. */
    public long next() {
        long id = next.getAndIncrement();
        if (id >= limit) {
            reserve(id);
        }
        extendAhead(id);
        return id;
    }

    /** A fresh chunk id without blocking, or -1 when the reserved range is used up. */
    public long tryNext() {
        while (true) {
            long id = next.get();
            if (id >= limit) {
                extendAhead(id);
                return -1;
            }
            if (next.compareAndSet(id, id + 1)) {
                extendAhead(id);
                return id;
            }
        }
    }

    private void extendAhead(long id) {
        if (limit - id < RANGE / 2 && extending.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        reserve(limit + RANGE / 2);
                    } finally {
                        extending.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                extending.set(false);
            }
        }
    }

    /** Makes ids below {@code id + 1} usable, writing the new limit first. */
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
