package dev.quarry.volume.pool;

import dev.quarry.volume.segment.OpenSegment;

/**
 * Space reserved in an open segment for one append: the records go at {@code offset}, and the
 * device write covers {@code paddedLength} bytes (whole device blocks). The holder must call
 * {@link OpenSegment#appendDone()} through {@link Pool#appendDone(Allocation)} once the append
 * reached the committer or failed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param segment the open segment
 * @param offset byte offset in the segment
 * @param paddedLength bytes reserved
 * @param liveBytes bytes of records (without padding) counted as used in the pool
 */
public record Allocation(OpenSegment segment, int offset, int paddedLength, int liveBytes) {
}
