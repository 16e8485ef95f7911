package dev.quarry.volume.gc;

import java.util.Arrays;

/**
 * The chunks listed in {@code pendingfree} that the reaper has yet to look at, remembered in
 * memory so that it never walks the column family in steady state (see {@link Reaper}). The
 * committer adds the ids each round released once the round is written; a writer that lists
 * chunks in its own batch, a requested full pass, or too many ids to remember ask for a walk
 * instead, and a new instance asks for one (whatever was listed before a restart).
 *
 * <p>Thread-safe.
 */
public final class ReleasedChunks {

    /** Ids remembered at most (8 bytes each); beyond that they are dropped and the next reap walks the list. */
    static final int MAX_REMEMBERED = 1 << 20;

    private long[] ids = new long[1024];
    private int count;
    private boolean walkRequested = true;

    /** Remembers chunks listed by a batch already written to RocksDB. */
    public synchronized void add(long[] chunkIds) {
        if (walkRequested) {
            return;
        }
        if (count + chunkIds.length > MAX_REMEMBERED) {
            requestWalk();
            return;
        }
        if (count + chunkIds.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, count + chunkIds.length));
        }
        System.arraycopy(chunkIds, 0, ids, count, chunkIds.length);
        count += chunkIds.length;
    }

    /** The next reap must walk the column family; the ids remembered so far are in it, so they are forgotten. */
    public synchronized void requestWalk() {
        walkRequested = true;
        count = 0;
    }

    /**
     * Whether a walk was requested since the last call. Ids added after this call are remembered
     * again (they may also turn up in the walk: reaping a chunk twice is harmless).
     */
    synchronized boolean takeWalkRequest() {
        boolean requested = walkRequested;
        walkRequested = false;
        return requested;
    }

    /** Up to {@code max} remembered ids, sorted and distinct (a chunk may be listed twice). */
    synchronized long[] take(int max) {
        int n = Math.min(max, count);
        long[] taken = Arrays.copyOfRange(ids, count - n, count);
        count -= n;
        if (count == 0 && ids.length > 1024) {
            ids = new long[1024];
        }
        Arrays.sort(taken);
        int distinct = 0;
        for (int i = 0; i < taken.length; i++) {
            if (i == 0 || taken[i] != taken[distinct - 1]) {
                taken[distinct++] = taken[i];
            }
        }
        return Arrays.copyOf(taken, distinct);
    }

    /** Whether no id is remembered. */
    synchronized boolean isEmpty() {
        return count == 0;
    }
}
