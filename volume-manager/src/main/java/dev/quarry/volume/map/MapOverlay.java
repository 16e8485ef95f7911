package dev.quarry.volume.map;

import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mappings acknowledged to writers but not yet committed to RocksDB. Reads consult it before the
 * cache and the store; the committer removes an entry once the batch holding it is written (only
 * if no newer write replaced it meanwhile). Bounded by the committer's back-pressure.
 *
 * <p>Thread-safe.
 */
public final class MapOverlay {

    /**
     * A pending mapping.
     *
     * @param value the new mapping, or null when the block was unmapped
     * @param sequence the committer sequence of the mutation that set it
     */
    public record Entry(MapValue value, long sequence) {
    }

    private final Map<Integer, ConcurrentSkipListMap<Long, Entry>> volumes = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    public Entry get(int volumeId, long block) {
        ConcurrentSkipListMap<Long, Entry> blocks = volumes.get(volumeId);
        return blocks == null ? null : blocks.get(block);
    }

    public void put(int volumeId, long block, MapValue value, long sequence) {
        Entry previous = volumes.computeIfAbsent(volumeId, v -> new ConcurrentSkipListMap<>())
                .put(block, new Entry(value, sequence));
        if (previous == null) {
            size.incrementAndGet();
        }
    }

    /** Removes the entry of a block when it still carries {@code sequence}; returns whether it did. */
    public boolean remove(int volumeId, long block, long sequence) {
        ConcurrentSkipListMap<Long, Entry> blocks = volumes.get(volumeId);
        if (blocks == null) {
            return false;
        }
        Entry current = blocks.get(block);
        if (current != null && current.sequence() == sequence && blocks.remove(block, current)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Pending entries of blocks in [from, to), in block order (a live view). */
    public NavigableMap<Long, Entry> range(int volumeId, long from, long to) {
        ConcurrentSkipListMap<Long, Entry> blocks = volumes.get(volumeId);
        return blocks == null ? new ConcurrentSkipListMap<>() : blocks.subMap(from, true, to, false);
    }

    /** Entries pending, all volumes together. */
    public int size() {
        return size.get();
    }
}
