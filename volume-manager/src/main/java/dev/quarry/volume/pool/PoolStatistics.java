package dev.quarry.volume.pool;

import dev.quarry.volume.disk.DiskStatistics;
import java.util.List;

/**
 * A snapshot of a pool's space, for the metrics layer, thresholds and the admin API.
 *
 * <p>Immutable and thread-safe.
 *
 * @param poolId the pool
 * @param capacityBytes bytes in the segments of its online and draining disks
 * @param usedBytes bytes of live chunk records (what volumes hold)
 * @param physicalUsedBytes bytes in allocated segments (live and not yet cleaned)
 * @param freeSegments segments not allocated
 * @param softThresholdBytes used bytes at which SOFT_THRESHOLD_REACHED is raised
 * @param hardLimitBytes used bytes beyond which writes needing space fail
 * @param disks per-disk figures
 */
public record PoolStatistics(int poolId, long capacityBytes, long usedBytes, long physicalUsedBytes, int freeSegments,
                             long softThresholdBytes, long hardLimitBytes, List<DiskStatistics> disks) {
}
