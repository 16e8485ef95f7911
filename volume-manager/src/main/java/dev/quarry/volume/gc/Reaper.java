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
 * takes listed chunks, reads their counts with one MultiGet, and in one batch deletes the record and
 * count of each chunk at zero, subtracts its bytes from its segment's live count, and drops the
 * list entries; it reports the segments whose live count fell, so that the collector frees the
 * ones left empty at once. A chunk shared by many blocks (WRITE SAME) is freed only once its
 * count reaches zero. It runs on the collector thread only, never concurrently with the cleaner;
 * sharing an existing chunk that may already be listed (deduplication) must take the same thread.
 *
 * <p>Where listed chunks come from: the committer hands over the ids each round released
 * ({@link ReleasedChunks}), so the reaper reads them from memory and never walks the column family,
 * whose head is a run of tombstones of everything reaped since RocksDB last compacted it
 * (walking them was half of the collector's CPU under steady overwrites, docs/performance.md).
 * The column family stays the durable copy: the reaper walks it at start (whatever a crash left
 * listed), when another writer listed chunks in its own batch (volume deletion, snapshot
 * reclaim), on a requested full pass, and when there are too many ids to remember. Reaping a
 * chunk twice (remembered, and found by a walk) is harmless: the first reap deletes its count,
 * and a missing count reads as one reference, so the second only drops the list entry.
 *
 * <p>Not thread-safe, but for {@link #requestWalk}: confined to the collector thread.
 */
public final class Reaper {

    /**
     * What one {@link #reapOnce} did.
     *
     * @param drained nothing listed is left to reap (as far as the reaper knows)
     * @param segments the segments whose live count fell, each once
     */
    public record Reaped(boolean drained, List<SegmentKey> segments) {
    }

    /** Distinct listed chunk keys to reap, and whether they were the last ones. */
    private record Taken(List<byte[]> keys, boolean drained) {
    }

    private final MetadataStore store;
    private final PoolDirectory pools;
    private final ReleasedChunks listed;
    private boolean walking;
    private long freed;

    public Reaper(MetadataStore store, PoolDirectory pools, ReleasedChunks listed) {
        this.store = store;
        this.pools = pools;
        this.listed = listed;
    }

    /** The next reap walks the column family (chunks were listed outside the committer). Any thread. */
    public void requestWalk() {
        listed.requestWalk();
    }

    /** Reaps up to {@code max} listed chunks. */
    public Reaped reapOnce(int max) {
        Taken taken = take(max);
        List<byte[]> keys = taken.keys();
        if (keys.isEmpty()) {
            return new Reaped(taken.drained(), List.of());
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
        return new Reaped(taken.drained(), List.copyOf(segments));
    }

    /**
     * Up to {@code max} distinct listed chunk keys: from a walk of the column family while one is
     * due (in batches, each walking from the head), else from memory, sorted (RocksDB answers a
     * sorted MultiGet faster).
     */
    private Taken take(int max) {
        if (listed.takeWalkRequest()) {
            walking = true;
        }
        if (walking) {
            List<byte[]> keys = new ArrayList<>();
            try (Cursor cursor = store.cursor(Schema.PENDING_FREE, new byte[0], null)) {
                while (cursor.valid() && keys.size() < max) {
                    keys.add(cursor.key());
                    cursor.next();
                }
            }
            walking = keys.size() == max;
            return new Taken(keys, !walking && listed.isEmpty());
        }
        long[] ids = listed.take(max);
        List<byte[]> keys = new ArrayList<>(ids.length);
        for (long id : ids) {
            keys.add(ChunkKey.encode(id));
        }
        return new Taken(keys, listed.isEmpty());
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
