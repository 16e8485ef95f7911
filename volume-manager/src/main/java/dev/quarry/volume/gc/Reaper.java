package dev.quarry.volume.gc;

import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.pool.PoolDirectory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Frees chunks that lost their last reference. The write path never reads a reference count: a
 * commit that decrements one also lists the chunk in {@code pendingfree} (same batch). The reaper
 * walks that list, reads the counts with one MultiGet, and in one batch deletes the record and
 * count of each chunk at zero, subtracts its bytes from its segment's live count, and drops the
 * list entries; it reports the segments whose live count fell, so that the collector frees the
 * ones left empty at once. A chunk shared by many blocks (WRITE SAME) is freed only once its
 * count reaches zero. It runs on the collector thread only, never concurrently with the cleaner;
 * sharing an existing chunk that may already be listed (deduplication) must take the same thread.
 *
 * <p>Not thread-safe: confined to the collector thread.
 */
public final class Reaper {

    /**
     * What one {@link #reapOnce} did.
     *
     * @param entries listed chunks processed (fewer than asked: the list is drained)
     * @param segments the segments whose live count fell, each once
     */
    public record Reaped(int entries, List<SegmentKey> segments) {
    }

    private final MetadataStore store;
    private final PoolDirectory pools;
    private long freed;

    public Reaper(MetadataStore store, PoolDirectory pools) {
        this.store = store;
        this.pools = pools;
    }

    /** Reaps up to {@code max} listed chunks. */
    public Reaped reapOnce(int max) {
        List<byte[]> keys = new ArrayList<>();
        try (Cursor cursor = store.cursor(Schema.PENDING_FREE, new byte[0], null)) {
            while (cursor.valid() && keys.size() < max) {
                keys.add(cursor.key());
                cursor.next();
            }
        }
        if (keys.isEmpty()) {
            return new Reaped(0, List.of());
        }
        List<byte[]> counts = store.multiGetRaw(Schema.REFCOUNT, keys);
        List<byte[]> records = store.multiGetRaw(Schema.CHUNK, keys);
        List<Placement> released = new ArrayList<>();
        Set<SegmentKey> segments = new LinkedHashSet<>();
        try (Batch batch = store.batch()) {
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                batch.deleteRaw(Schema.PENDING_FREE, key);
                if (Counters.references(counts.get(i)) != 0) {
                    continue;
                }
                batch.deleteRaw(Schema.REFCOUNT, key);
                if (records.get(i) != null) {
                    ChunkRecord record = ValueCodecs.CHUNK.decode(records.get(i));
                    Placement p = record.placement();
                    batch.deleteRaw(Schema.CHUNK, key);
                    SegmentKey segment = new SegmentKey(p.diskId(), p.segment());
                    batch.add(Schema.SEGMENT_LIVE, segment, -p.length());
                    segments.add(segment);
                    released.add(p);
                }
            }
            store.write(batch, false);
        }
        for (Placement p : released) {
            Pool pool = pools.poolOfDisk(p.diskId());
            if (pool != null) {
                pool.addUsed(-p.length());
                BackendDisk disk = pool.disk(p.diskId());
                if (disk != null) {
                    disk.addLive(-p.length());
                }
            }
        }
        freed += released.size();
        return new Reaped(keys.size(), List.copyOf(segments));
    }

    /** Chunks freed since start. */
    public long freed() {
        return freed;
    }

    /** Whether a chunk is listed (for fsck and tests). */
    public boolean listed(long chunkId) {
        return store.getRaw(Schema.PENDING_FREE, ChunkKey.encode(chunkId)) != null;
    }
}
