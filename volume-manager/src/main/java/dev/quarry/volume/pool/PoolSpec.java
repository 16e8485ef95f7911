package dev.quarry.volume.pool;

import dev.quarry.volume.disk.TierClass;

/**
 * What the admin asks for when creating a pool.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name unique name ({@link Names})
 * @param segmentSize bytes per segment: a power of two from 1 MiB to 1 GiB (default 32 MiB)
 * @param softThresholdPercent used/capacity raising SOFT_THRESHOLD_REACHED (1..100)
 * @param hardLimitPercent used/capacity beyond which writes needing space fail (1..100)
 * @param defaultTier tier of volumes that name none
 */
public record PoolSpec(String name, int segmentSize, int softThresholdPercent, int hardLimitPercent, TierClass defaultTier) {

    public static final int DEFAULT_SEGMENT_SIZE = 32 << 20;

    public PoolSpec {
        Names.check(name);
        if (segmentSize < (1 << 20) || segmentSize > (1 << 30) || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segment size must be a power of two from 1 MiB to 1 GiB: " + segmentSize);
        }
        if (softThresholdPercent < 1 || softThresholdPercent > 100 || hardLimitPercent < 1 || hardLimitPercent > 100
                || softThresholdPercent > hardLimitPercent) {
            throw new IllegalArgumentException("thresholds must satisfy 1 <= soft <= hard <= 100");
        }
        if (defaultTier == null) {
            throw new IllegalArgumentException("defaultTier is required");
        }
    }

    /** 32 MiB segments, soft threshold 80 %, hard limit 95 %, SAS. */
    public static PoolSpec of(String name) {
        return new PoolSpec(name, DEFAULT_SEGMENT_SIZE, 80, 95, TierClass.SAS);
    }
}
