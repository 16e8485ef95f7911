package dev.quarry.volume.map;

import dev.quarry.volume.chunk.Placement;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded cache of hot committed block-map entries in front of RocksDB, also remembering
 * blocks known to be unmapped. Four-way set-associative: a block hashes to a set of four slots
 * and may sit in any of them, so blocks that share a set do not evict each other until the set
 * is full (a direct-mapped cache loses about a third of a working set as large as itself to such
 * conflicts). Entries are packed into one {@code long[]} (32 bytes a slot, no objects), so memory
 * is fixed by the number of slots and the cache adds nothing for the garbage collector to trace.
 *
 * <pre>
 *   slot = 4 longs:  key = (volumeId &lt;&lt; 40 | block) + 1   (0: empty)
 *                    chunkId                              (-1: unmapped)
 *                    diskId &lt;&lt; 48 | length &lt;&lt; 32 | segment  (-1: no hint)
 *                    offset
 * </pre>
 *
 * <p>Thread-safe. Each set has a version that is odd while a writer changes it (a seqlock that
 * doubles as the writers' spin lock): readers never wait, and a read that overlapped a write
 * reports a miss, which callers answer from RocksDB. Callers keep the cache coherent: a block's
 * entry is updated under the block's extent lock or by the committer after the store holds the
 * value. Blocks beyond 2^40 or volume ids beyond 2^23 are never cached.
 */
public final class MapCache {

    /** What a lookup found. */
    public static final MapValue UNMAPPED = new MapValue(-1, null);

    private static final int WAYS = 4;
    private static final int LONGS_PER_SLOT = 4;
    private static final int BLOCK_BITS = 40;
    private static final long NO_HINT = -1L;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final long[] versions;
    private final int setMask;
    private final int setShift;

    /** A cache of {@code capacity} slots (rounded up to a power of two, at least four; 0 disables it). */
    public MapCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        int wanted = (capacity + WAYS - 1) / WAYS;
        int sets = wanted <= 1 ? wanted : Integer.highestOneBit(wanted - 1) << 1;
        this.slots = new long[sets * WAYS * LONGS_PER_SLOT];
        this.versions = new long[sets];
        this.setMask = sets - 1;
        this.setShift = 64 - Integer.numberOfTrailingZeros(Math.max(1, sets));
    }

    /** The number of slots (0 when disabled). */
    public int capacity() {
        return versions.length * WAYS;
    }

    /** The cached value, {@link #UNMAPPED}, or null on a miss. */
    public MapValue get(int volumeId, long block) {
        long key = key(volumeId, block);
        if (key == 0 || versions.length == 0) {
            return null;
        }
        int set = set(key);
        long before = (long) LONGS.getAcquire(versions, set);
        if ((before & 1) != 0) {
            return null;
        }
        int base = set * WAYS * LONGS_PER_SLOT;
        for (int way = 0; way < WAYS; way++) {
            int at = base + way * LONGS_PER_SLOT;
            if ((long) LONGS.getOpaque(slots, at) == key) {
                long chunkId = (long) LONGS.getOpaque(slots, at + 1);
                long where = (long) LONGS.getOpaque(slots, at + 2);
                long offset = (long) LONGS.getOpaque(slots, at + 3);
                VarHandle.loadLoadFence();
                if ((long) LONGS.getOpaque(versions, set) != before) {
                    return null;
                }
                return decode(chunkId, where, offset);
            }
        }
        return null;
    }

    /** Caches {@code value} (null meaning unmapped). */
    public void put(int volumeId, long block, MapValue value) {
        long key = key(volumeId, block);
        if (key == 0 || versions.length == 0) {
            return;
        }
        MapValue v = value == null ? UNMAPPED : value;
        int set = set(key);
        long version = lock(set);
        int base = set * WAYS * LONGS_PER_SLOT;
        int target = -1;
        int empty = -1;
        for (int way = 0; way < WAYS && target < 0; way++) {
            long k = slots[base + way * LONGS_PER_SLOT];
            if (k == key) {
                target = way;
            } else if (k == 0 && empty < 0) {
                empty = way;
            }
        }
        if (target < 0) {
            target = empty >= 0 ? empty : (int) (version >>> 1) & (WAYS - 1);
        }
        int at = base + target * LONGS_PER_SLOT;
        Placement hint = v.hint();
        LONGS.setOpaque(slots, at, key);
        LONGS.setOpaque(slots, at + 1, v.chunkId());
        LONGS.setOpaque(slots, at + 2, hint == null ? NO_HINT
                : (long) hint.diskId() << 48 | (long) hint.length() << 32 | (hint.segment() & 0xFFFF_FFFFL));
        LONGS.setOpaque(slots, at + 3, hint == null ? 0 : hint.offset());
        unlock(set, version);
    }

    /** Forgets a block. */
    public void invalidate(int volumeId, long block) {
        long key = key(volumeId, block);
        if (key == 0 || versions.length == 0) {
            return;
        }
        int set = set(key);
        long version = lock(set);
        clear(set, at -> slots[at] == key);
        unlock(set, version);
    }

    /** Forgets every block of a volume (deletion). */
    public void invalidateVolume(int volumeId) {
        if (key(volumeId, 0) == 0) {
            return;
        }
        for (int set = 0; set < versions.length; set++) {
            long version = lock(set);
            clear(set, at -> slots[at] != 0 && (slots[at] - 1) >>> BLOCK_BITS == volumeId);
            unlock(set, version);
        }
    }

    /** Chooses slots by the index of their first long. */
    @FunctionalInterface
    private interface SlotTest {
        boolean matches(int at);
    }

    private void clear(int set, SlotTest test) {
        int base = set * WAYS * LONGS_PER_SLOT;
        for (int way = 0; way < WAYS; way++) {
            int at = base + way * LONGS_PER_SLOT;
            if (test.matches(at)) {
                LONGS.setOpaque(slots, at, 0L);
            }
        }
    }

    /** Spins until the set's version is even and this thread made it odd; returns the even version. */
    private long lock(int set) {
        while (true) {
            long version = (long) LONGS.getVolatile(versions, set);
            if ((version & 1) == 0 && LONGS.compareAndSet(versions, set, version, version + 1)) {
                return version;
            }
            Thread.onSpinWait();
        }
    }

    private void unlock(int set, long version) {
        LONGS.setRelease(versions, set, version + 2);
    }

    /**
     * Fibonacci hashing: the top bits of the product. (Middle bits, taken before, spread a run of
     * consecutive blocks over a seventh of the sets, so half of a volume could never be cached.)
     */
    private int set(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return setShift == 64 ? 0 : (int) (h >>> setShift) & setMask;
    }

    /** The packed key, or 0 when the block cannot be cached. */
    private static long key(int volumeId, long block) {
        if (volumeId < 0 || volumeId >= 1 << 23 || block < 0 || block >= 1L << BLOCK_BITS) {
            return 0;
        }
        return ((long) volumeId << BLOCK_BITS | block) + 1;
    }

    private static MapValue decode(long chunkId, long where, long offset) {
        if (chunkId == UNMAPPED.chunkId() && where == NO_HINT) {
            return UNMAPPED;
        }
        Placement hint = where == NO_HINT ? null
                : new Placement((int) (where >>> 48), (int) where, (int) offset, (int) (where >>> 32) & 0xFFFF);
        return new MapValue(chunkId, hint);
    }
}
