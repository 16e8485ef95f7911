package dev.quarry.volume.gc;

/**
 * What the reaper and cleaner have done since start, for the metrics layer.
 *
 * <p>Immutable and thread-safe.
 *
 * @param chunksFreed chunks released by the reaper
 * @param segmentsCleaned segments returned to the free pool (emptied by relocation, or found empty)
 * @param segmentsFreedEmpty of those, segments freed without copying because no live chunk was left
 * @param bytesRelocated bytes of live records moved
 * @param bytesReclaimed segment bytes returned to the free pool
 * @param relocateBytesPerSecond relocation rate of the last cleaning
 */
public record CleanerStatistics(long chunksFreed, long segmentsCleaned, long segmentsFreedEmpty, long bytesRelocated,
                                long bytesReclaimed, long relocateBytesPerSecond) {
}
