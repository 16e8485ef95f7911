package dev.quarry.volume.segment;

/**
 * One allocated segment with its live bytes, as the cleaner and fsck see it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param diskId the disk
 * @param segment the segment index
 * @param state OPEN or SEALED
 * @param liveBytes bytes of live chunk records in it
 */
public record SegmentUsage(int diskId, int segment, SegmentState state, long liveBytes) {
}
