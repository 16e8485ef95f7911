package dev.quarry.volume.commit;

import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.map.MapCache;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a round of mutations into one WriteBatch: looks up the committed mapping of every block
 * the round touches (in the block-map cache, else with one MultiGet), then, in submission order, puts or deletes head keys, adds
 * -1 to the reference count of each chunk that lost its mapping (listing it in {@code pendingfree}
 * in the same batch, for the reaper) and +1 to each chunk mapped again (a new chunk's first
 * mapping is its implicit first reference, see {@link Counters#references}), and adjusts the
 * segment-live and volume-usage counters. A superseded mapping that a snapshot still sees (its
 * mutation's {@link Retention} says so) is not released but moved, with its reference, to the
 * version key of the epoch it was written at, its value carrying the epoch that superseded it.
 *
 * <p>The cache holds committed head mappings without the epoch they were written at, so it is
 * asked only for blocks of volumes no snapshot pins: there the epoch decides nothing (no pin
 * below the current epoch can see the mapping, and every later pin is at or above it), and the
 * current epoch stands in for it. A snapshot changes a volume's retention only once every
 * mutation built under the old one is committed, so one round never mixes the two for a volume.
 *
 * <p>Not thread-safe; used by the committer thread only.
 */
final class CommitBatch {

    private record BlockRef(int volumeId, long block) {
    }

    /** A committed head mapping and the epoch it was written at. */
    private record Committed(MapValue value, long epoch) {
    }

    private final MetadataStore store;
    private final MapCache cache;
    private final Map<BlockRef, Committed> current = new HashMap<>();
    private final Map<Integer, Long> mappedDeltas = new LinkedHashMap<>();
    private final Map<Integer, Long> keptDeltas = new LinkedHashMap<>();
    private final Set<Long> unmappedNewChunks = new HashSet<>();
    private long[] released = new long[16];
    private int releasedCount;

    CommitBatch(MetadataStore store, MapCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /** Builds the batch for {@code round}; the caller writes and closes it. */
    Batch build(List<Mutation> round) {
        loadCommitted(round);
        Batch batch = store.batch();
        try {
            for (Mutation m : round) {
                for (Mutation.NewChunk c : m.chunks()) {
                    Placement p = c.record().placement();
                    batch.put(Schema.CHUNK, new ChunkKey(c.chunkId()), c.record());
                    unmappedNewChunks.add(c.chunkId());
                    batch.add(Schema.SEGMENT_LIVE, new SegmentKey(p.diskId(), p.segment()), p.length());
                }
                for (Mutation.BlockOp op : m.ops()) {
                    apply(batch, m, op);
                }
            }
            mappedDeltas.forEach((volume, delta) -> {
                if (delta != 0) {
                    batch.add(Schema.VOLUME_USAGE, new IdKey(volume), delta);
                }
            });
            keptDeltas.forEach((volume, delta) -> batch.add(Schema.SNAPSHOT_USAGE, new IdKey(volume), delta));
            return batch;
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    Map<Integer, Long> mappedDeltas() {
        return mappedDeltas;
    }

    /** The chunks whose reference count this batch decremented (listed in {@code pendingfree}); may repeat. */
    long[] released() {
        return Arrays.copyOf(released, releasedCount);
    }

    private void loadCommitted(List<Mutation> round) {
        List<BlockRef> refs = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (Mutation m : round) {
            for (Mutation.BlockOp op : m.ops()) {
                BlockRef ref = new BlockRef(m.volumeId(), op.block());
                if (current.containsKey(ref)) {
                    continue;
                }
                MapValue cached = m.retention().pinned() ? null : cache.get(ref.volumeId(), ref.block());
                if (cached != null) {
                    current.put(ref, cached == MapCache.UNMAPPED ? null : new Committed(cached, m.retention().epoch()));
                } else {
                    current.put(ref, null);
                    refs.add(ref);
                    keys.add(BlockMapKey.head(ref.volumeId(), ref.block()));
                }
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        List<byte[]> values = store.multiGetRaw(Schema.BLOCK_MAP, keys);
        for (int i = 0; i < refs.size(); i++) {
            byte[] raw = values.get(i);
            current.put(refs.get(i), raw == null ? null : new Committed(ValueCodecs.MAP_VALUE.decode(raw), ValueCodecs.epochOf(raw)));
        }
    }

    private void apply(Batch batch, Mutation m, Mutation.BlockOp op) {
        int volumeId = m.volumeId();
        BlockRef ref = new BlockRef(volumeId, op.block());
        Committed committed = current.get(ref);
        MapValue old = committed == null ? null : committed.value();
        MapValue next = op.value();
        byte[] head = BlockMapKey.head(volumeId, op.block());
        boolean sameChunk = old != null && next != null && old.chunkId() == next.chunkId();
        if (sameChunk) {
            // The same chunk: its place in the epochs does not change, only (maybe) its hint.
            batch.putRaw(Schema.BLOCK_MAP, head, ValueCodecs.mapValueAt(next, committed.epoch()));
            current.put(ref, new Committed(next, committed.epoch()));
            return;
        }
        if (op.hintOnly()) {
            return;
        }
        Retention retention = m.retention();
        if (old != null) {
            supersede(batch, volumeId, op.block(), committed, retention);
        }
        if (next != null) {
            if (!unmappedNewChunks.remove(next.chunkId())) {
                batch.addRaw(Schema.REFCOUNT, ChunkKey.encode(next.chunkId()), 1);
            }
            batch.putRaw(Schema.BLOCK_MAP, head, ValueCodecs.mapValueAt(next, retention.epoch()));
        } else if (old != null) {
            batch.deleteRaw(Schema.BLOCK_MAP, head);
        }
        long delta = (next != null ? 1 : 0) - (old != null ? 1 : 0);
        if (delta != 0) {
            mappedDeltas.merge(volumeId, delta, Long::sum);
        }
        current.put(ref, next == null ? null : new Committed(next, retention.epoch()));
    }

    /** Keeps a superseded head mapping as a version when a snapshot sees it, else releases its chunk. */
    private void supersede(Batch batch, int volumeId, long block, Committed old, Retention retention) {
        if (retention.keeps(old.epoch())) {
            batch.putRaw(Schema.BLOCK_MAP, BlockMapKey.encode(volumeId, block, old.epoch()),
                    ValueCodecs.mapValueAt(old.value(), retention.epoch()));
            keptDeltas.merge(volumeId, 1L, Long::sum);
            return;
        }
        byte[] chunk = ChunkKey.encode(old.value().chunkId());
        batch.addRaw(Schema.REFCOUNT, chunk, -1);
        batch.putRaw(Schema.PENDING_FREE, chunk, ValueCodecs.PENDING);
        if (releasedCount == released.length) {
            released = Arrays.copyOf(released, releasedCount * 2);
        }
        released[releasedCount++] = old.value().chunkId();
    }
}
