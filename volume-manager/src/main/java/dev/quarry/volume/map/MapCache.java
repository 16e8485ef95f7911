package dev.quarry.volume.map;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded cache of hot committed block-map entries in front of RocksDB: direct-mapped (each
 * block has one slot, chosen by a hash), so lookups and updates are a few instructions without
 * locks and memory is fixed by the configured number of slots. Also remembers blocks known to be
 * unmapped.
 *
 * <p>Thread-safe. Callers keep it coherent: a block's slot is updated under the block's extent
 * lock or by the committer after the store holds the value.
 */
public final class MapCache {

    /** What a lookup found. */
    public static final MapValue UNMAPPED = new MapValue(-1, null);

    private record Slot(int volumeId, long block, MapValue value) {
    }

    private final AtomicReferenceArray<Slot> slots;
    private final int mask;

    /** A cache of {@code capacity} slots (rounded up to a power of two; 0 disables it). */
    public MapCache(int capacity) {
        int size = capacity <= 0 ? 1 : Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = capacity <= 0 ? -1 : size - 1;
    }

    /** The cached value, {@link #UNMAPPED}, or null on a miss. */
    public MapValue get(int volumeId, long block) {
        if (mask < 0) {
            return null;
        }
        Slot slot = slots.get(index(volumeId, block));
        return slot != null && slot.block == block && slot.volumeId == volumeId ? slot.value : null;
    }

    /** Caches {@code value} (null meaning unmapped). */
    public void put(int volumeId, long block, MapValue value) {
        if (mask >= 0) {
            slots.set(index(volumeId, block), new Slot(volumeId, block, value == null ? UNMAPPED : value));
        }
    }

    /** Forgets a block. */
    public void invalidate(int volumeId, long block) {
        if (mask >= 0) {
            int i = index(volumeId, block);
            Slot slot = slots.get(i);
            if (slot != null && slot.block == block && slot.volumeId == volumeId) {
                slots.compareAndSet(i, slot, null);
            }
        }
    }

    /** Forgets every block of a volume (deletion). */
    public void invalidateVolume(int volumeId) {
        for (int i = 0; i < slots.length(); i++) {
            Slot slot = slots.get(i);
            if (slot != null && slot.volumeId == volumeId) {
                slots.compareAndSet(i, slot, null);
            }
        }
    }

    private int index(int volumeId, long block) {
        long h = (block ^ ((long) volumeId << 40)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }
}
