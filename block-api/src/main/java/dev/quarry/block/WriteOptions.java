package dev.quarry.block;

/**
 * How a write must be carried out.
 *
 * <p>Immutable and thread-safe.
 *
 * @param forceUnitAccess the write is durable (data and the metadata that maps it) when its future
 *     completes, as FUA in SBC-3 §4.15; without it the write may sit in a volatile cache until the
 *     next {@link BlockDevice#flush()}
 * @param atomic the write must land entirely or not at all, even across a crash (WRITE ATOMIC(16));
 *     only valid within {@link BlockVolume#atomicWriteLimits()}
 */
public record WriteOptions(boolean forceUnitAccess, boolean atomic) {

    /** A plain cached write. */
    public static final WriteOptions CACHED = new WriteOptions(false, false);
    /** A write that is durable when acknowledged. */
    public static final WriteOptions FUA = new WriteOptions(true, false);

    public WriteOptions withForceUnitAccess() {
        return forceUnitAccess ? this : new WriteOptions(true, atomic);
    }
}
