package dev.quarry.volume.map;

import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the live block map of volumes: the pending overlay first, then the hot-entry cache, then
 * RocksDB (the head key of each block: one point lookup per block, one MultiGet for a run of
 * blocks). Also walks the mapped blocks of a range in order with one iterator merged with the
 * overlay, for GET LBA STATUS, UNMAP and deletion.
 *
 * <p>Thread-safe. Blocks in RocksDB: call from volume threads only.
 */
public final class BlockMap {

    private final MetadataStore store;
    private final MapOverlay overlay;
    private final MapCache cache;

    public BlockMap(MetadataStore store, MapOverlay overlay, MapCache cache) {
        this.store = store;
        this.overlay = overlay;
        this.cache = cache;
    }

    public MapOverlay overlay() {
        return overlay;
    }

    public MapCache cache() {
        return cache;
    }

    /** The mapping of one block, or null when unmapped. */
    public MapValue lookup(int volumeId, long block) {
        return lookup(volumeId, block, 1)[0];
    }

    /** The mappings of {@code count} blocks from {@code first}; null entries are unmapped. */
    public MapValue[] lookup(int volumeId, long first, int count) {
        MapValue[] values = new MapValue[count];
        List<byte[]> missingKeys = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long block = first + i;
            MapOverlay.Entry pending = overlay.get(volumeId, block);
            if (pending != null) {
                values[i] = pending.value();
                continue;
            }
            MapValue cached = cache.get(volumeId, block);
            if (cached != null) {
                values[i] = cached == MapCache.UNMAPPED ? null : cached;
                continue;
            }
            missingKeys.add(BlockMapKey.head(volumeId, block));
            missingAt.add(i);
        }
        if (!missingKeys.isEmpty()) {
            List<byte[]> found = missingKeys.size() == 1
                    ? Collections.singletonList(store.getRaw(Schema.BLOCK_MAP, missingKeys.get(0)))
                    : store.multiGetRaw(Schema.BLOCK_MAP, missingKeys);
            for (int j = 0; j < found.size(); j++) {
                int i = missingAt.get(j);
                byte[] raw = found.get(j);
                values[i] = raw == null ? null : ValueCodecs.MAP_VALUE.decode(raw);
                cache.put(volumeId, first + i, values[i]);
            }
        }
        return values;
    }

    /**
     * The mappings of {@code count} blocks from the overlay and the cache alone, without RocksDB;
     * null when any block is in neither (so the caller may stay on a thread that must not block).
     */
    public MapValue[] lookupCached(int volumeId, long first, int count) {
        MapValue[] values = new MapValue[count];
        // With nothing pending anywhere, skip the per-block overlay probes (a skip-list search
        // each). Safe under the callers' extent lock: a write of these blocks put its entries in
        // the overlay before its lease was released, so they would show in the count.
        boolean pendingAny = overlay.size() > 0;
        for (int i = 0; i < count; i++) {
            MapOverlay.Entry pending = pendingAny ? overlay.get(volumeId, first + i) : null;
            if (pending != null) {
                values[i] = pending.value();
                continue;
            }
            MapValue cached = cache.get(volumeId, first + i);
            if (cached == null) {
                return null;
            }
            values[i] = cached == MapCache.UNMAPPED ? null : cached;
        }
        return values;
    }

    /** Receives mapped blocks in increasing order; returns false to stop. */
    @FunctionalInterface
    public interface MappedVisitor {
        boolean visit(long block, MapValue value);
    }

    /**
     * Visits the mapped blocks in [from, to) in increasing order: committed mappings from one
     * RocksDB iterator, with pending overlay entries taking precedence. The overlay is copied
     * before the iterator opens: an entry the committer removes meanwhile was written to RocksDB
     * before its removal, so the iterator's implicit snapshot holds it.
     */
    public void forEachMapped(int volumeId, long from, long to, MappedVisitor visitor) {
        Iterator<Map.Entry<Long, MapOverlay.Entry>> pending =
                new ArrayList<>(overlay.range(volumeId, from, to).entrySet()).iterator();
        Map.Entry<Long, MapOverlay.Entry> nextPending = pending.hasNext() ? pending.next() : null;
        try (Cursor cursor = store.cursor(Schema.BLOCK_MAP, BlockMapKey.head(volumeId, from), BlockMapKey.head(volumeId, to))) {
            while (true) {
                long committed = Long.MAX_VALUE;
                while (cursor.valid() && !BlockMapKey.isHead(cursor.key())) {
                    cursor.next();
                }
                if (cursor.valid()) {
                    committed = BlockMapKey.blockOf(cursor.key());
                }
                long pendingBlock = nextPending == null ? Long.MAX_VALUE : nextPending.getKey();
                if (committed == Long.MAX_VALUE && pendingBlock == Long.MAX_VALUE) {
                    return;
                }
                long block = Math.min(committed, pendingBlock);
                MapValue value;
                if (pendingBlock == block) {
                    value = nextPending.getValue().value();
                    nextPending = pending.hasNext() ? pending.next() : null;
                } else {
                    value = ValueCodecs.MAP_VALUE.decode(cursor.value());
                }
                if (committed == block) {
                    cursor.next();
                }
                if (value != null && !visitor.visit(block, value)) {
                    return;
                }
            }
        }
    }
}
