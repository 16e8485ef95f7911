package dev.quarry.volume.pool;

import dev.quarry.volume.disk.TierClass;
import java.util.UUID;

/**
 * The durable definition of a pool (the {@code pool} column family's value).
 *
 * <p>Immutable and thread-safe.
 *
 * @param id pool id
 * @param uuid identity, written in the label of each of its disks
 * @param name unique name
 * @param segmentSize bytes per segment on its disks
 * @param softThresholdPercent used/capacity at which volumes raise SOFT_THRESHOLD_REACHED
 * @param hardLimitPercent used/capacity beyond which writes needing new space fail
 * @param defaultTier the tier of volumes that name none
 * @param createdMillis creation time
 */
public record PoolRecord(int id, UUID uuid, String name, int segmentSize, int softThresholdPercent,
                         int hardLimitPercent, TierClass defaultTier, long createdMillis) {
}
