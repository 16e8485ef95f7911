package dev.quarry.volume.commit;

import dev.quarry.volume.chunk.Placement;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a round of mutations into one WriteBatch: looks up the committed mapping of every block
 * the round touches with one MultiGet, then, in submission order, puts or deletes head keys, adds
 * -1 to the reference count of each chunk that lost its mapping (listing it in {@code pendingfree}
 * in the same batch, for the reaper) and +1 to each chunk mapped again (a new chunk's first
 * mapping is its implicit first reference, see {@link Counters#references}), and adjusts the
 * segment-live and volume-usage counters.
 *
 * <p>Not thread-safe; used by the committer thread only.
 */
final class CommitBatch {

    private record BlockRef(int volumeId, long block) {
    }

    private final MetadataStore store;
    private final Map<BlockRef, MapValue> current = new HashMap<>();
    private final Map<Integer, Long> mappedDeltas = new LinkedHashMap<>();
    private final Set<Long> unmappedNewChunks = new HashSet<>();
    private int released;

    CommitBatch(MetadataStore store) {
        this.store = store;
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
                    apply(batch, m.volumeId(), op);
                }
            }
            mappedDeltas.forEach((volume, delta) -> {
                if (delta != 0) {
                    batch.add(Schema.VOLUME_USAGE, new IdKey(volume), delta);
                }
            });
            return batch;
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    Map<Integer, Long> mappedDeltas() {
        return mappedDeltas;
    }

    int released() {
        return released;
    }

    private void loadCommitted(List<Mutation> round) {
        List<BlockRef> refs = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (Mutation m : round) {
            for (Mutation.BlockOp op : m.ops()) {
                BlockRef ref = new BlockRef(m.volumeId(), op.block());
                if (!current.containsKey(ref)) {
                    current.put(ref, null);
                    refs.add(ref);
                    keys.add(BlockMapKey.head(ref.volumeId(), ref.block()));
                }
            }
        }
        List<byte[]> values = store.multiGetRaw(Schema.BLOCK_MAP, keys);
        for (int i = 0; i < refs.size(); i++) {
            byte[] raw = values.get(i);
            current.put(refs.get(i), raw == null ? null : ValueCodecs.MAP_VALUE.decode(raw));
        }
    }

    private void apply(Batch batch, int volumeId, Mutation.BlockOp op) {
        BlockRef ref = new BlockRef(volumeId, op.block());
        MapValue old = current.get(ref);
        MapValue next = op.value();
        byte[] head = BlockMapKey.head(volumeId, op.block());
        if (op.hintOnly()) {
            if (old != null && next != null && old.chunkId() == next.chunkId()) {
                batch.putRaw(Schema.BLOCK_MAP, head, ValueCodecs.MAP_VALUE.encode(next));
                current.put(ref, next);
            }
            return;
        }
        if (old != null && next != null && old.chunkId() == next.chunkId()) {
            batch.putRaw(Schema.BLOCK_MAP, head, ValueCodecs.MAP_VALUE.encode(next));
            current.put(ref, next);
            return;
        }
        if (old != null) {
            byte[] chunk = ChunkKey.encode(old.chunkId());
            batch.addRaw(Schema.REFCOUNT, chunk, -1);
            batch.putRaw(Schema.PENDING_FREE, chunk, ValueCodecs.PENDING);
            released++;
        }
        if (next != null) {
            if (!unmappedNewChunks.remove(next.chunkId())) {
                batch.addRaw(Schema.REFCOUNT, ChunkKey.encode(next.chunkId()), 1);
            }
            batch.putRaw(Schema.BLOCK_MAP, head, ValueCodecs.MAP_VALUE.encode(next));
        } else if (old != null) {
            batch.deleteRaw(Schema.BLOCK_MAP, head);
        }
        long delta = (next != null ? 1 : 0) - (old != null ? 1 : 0);
        if (delta != 0) {
            mappedDeltas.merge(volumeId, delta, Long::sum);
        }
        current.put(ref, next);
    }
}
