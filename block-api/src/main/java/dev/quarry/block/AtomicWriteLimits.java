package dev.quarry.block;

/**
 * The limits of atomic writes (SBC-4 WRITE ATOMIC, VPD page B0): the largest atomic write and
 * the alignment and granularity it must respect, all in logical blocks. Zero means not offered.
 *
 * <p>Immutable and thread-safe.
 */
public record AtomicWriteLimits(long maxBlocks, long alignment, long granularity) {

    /** Atomic writes are not offered. */
    public static final AtomicWriteLimits NONE = new AtomicWriteLimits(0, 0, 0);

    public boolean supported() {
        return maxBlocks > 0;
    }
}
