package dev.quarry.volume.snapshot;

import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;

/**
 * Reads a volume's block map as it stood at a pinned epoch, from RocksDB with one iterator per
 * range: for each block the head mapping when it was written at or before the epoch, else the
 * newest kept version written at or before it, if that version was still live at the epoch
 * (superseded after it). Everything at or before a pinned epoch is committed before the pin is
 * taken, and the iterator reads one consistent state, so the pending overlay never matters here.
 *
 * <p>Thread-safe. Blocks in RocksDB: call from volume or job threads.
 */
final class EpochMap {

    /** Receives the blocks mapped at the epoch in increasing order; returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(long block, MapValue value);
    }

    /** Receives every block with any map entry: its committed head and its mapping at the epoch (each may be null). */
    @FunctionalInterface
    interface BlockVisitor {
        boolean visit(long block, MapValue head, MapValue atEpoch);
    }

    private final MetadataStore store;

    EpochMap(MetadataStore store) {
        this.store = store;
    }

    /** The mappings at {@code epoch} of {@code count} blocks from {@code first}; null entries are unmapped. */
    MapValue[] lookup(int volumeId, long first, int count, long epoch) {
        MapValue[] values = new MapValue[count];
        forEachMapped(volumeId, first, first + count, epoch, (block, value) -> {
            values[(int) (block - first)] = value;
            return true;
        });
        return values;
    }

    /** Visits the blocks of [from, to) mapped at {@code epoch}, in increasing order. */
    void forEachMapped(int volumeId, long from, long to, long epoch, Visitor visitor) {
        forEachBlock(volumeId, from, to, epoch, (block, head, atEpoch) -> atEpoch == null || visitor.visit(block, atEpoch));
    }

    /** Visits the blocks of [from, to) that have a head or a kept version, in increasing order. */
    void forEachBlock(int volumeId, long from, long to, long epoch, BlockVisitor visitor) {
        try (Cursor c = store.cursor(Schema.BLOCK_MAP, BlockMapKey.head(volumeId, from), BlockMapKey.head(volumeId, to))) {
            long block = -1;
            MapValue head = null;
            MapValue atEpoch = null;
            boolean resolved = false;
            for (; c.valid(); c.next()) {
                byte[] key = c.key();
                long keyBlock = BlockMapKey.blockOf(key);
                if (keyBlock != block) {
                    if (block >= 0 && !visitor.visit(block, head, atEpoch)) {
                        return;
                    }
                    block = keyBlock;
                    head = null;
                    atEpoch = null;
                    resolved = false;
                }
                if (resolved) {
                    continue;
                }
                byte[] raw = c.value();
                long stamp = ValueCodecs.epochOf(raw);
                if (BlockMapKey.isHead(key)) {
                    head = ValueCodecs.MAP_VALUE.decode(raw);
                    if (stamp <= epoch) {
                        atEpoch = head;
                        resolved = true;
                    }
                } else if (BlockMapKey.seqOf(key) <= epoch) {
                    // The newest version written at or before the epoch: live then unless superseded by it.
                    atEpoch = stamp > epoch ? ValueCodecs.MAP_VALUE.decode(raw) : null;
                    resolved = true;
                }
            }
            if (block >= 0) {
                visitor.visit(block, head, atEpoch);
            }
        }
    }
}
