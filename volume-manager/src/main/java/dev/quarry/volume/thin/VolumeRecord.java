package dev.quarry.volume.thin;

import dev.quarry.volume.disk.TierClass;
import java.util.UUID;

/**
 * The durable definition of a thin volume (the {@code volume} column family's value). The UUID is
 * stable for the volume's life: the appliance derives the LUN's NAA identifier and serial from it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the volume id, the leading field of its block-map keys
 * @param uuid stable identity
 * @param name unique name
 * @param sizeBytes capacity in bytes (a multiple of 4096)
 * @param poolId the pool its chunks come from
 * @param tier where its new chunks land, or null for the pool's default
 * @param createdMillis creation time, milliseconds since the epoch
 * @param state CLONING, ACTIVE or DELETING
 * @param progress while DELETING, the block below which chunks are already released; while
 *                 CLONING, the block below which the map is already copied
 * @param epoch the write epoch new mappings are stamped with; each snapshot pins the one before
 * @param origin the snapshot a clone was copied from, or null
 */
public record VolumeRecord(int id, UUID uuid, String name, long sizeBytes, int poolId, TierClass tier,
                           long createdMillis, VolumeState state, long progress, long epoch, CloneOrigin origin) {

    public VolumeRecord withSize(long bytes) {
        return new VolumeRecord(id, uuid, name, bytes, poolId, tier, createdMillis, state, progress, epoch, origin);
    }

    public VolumeRecord deleting(long releasedBelow) {
        return new VolumeRecord(id, uuid, name, sizeBytes, poolId, tier, createdMillis, VolumeState.DELETING,
                releasedBelow, epoch, origin);
    }

    /** While CLONING: the map is copied below {@code copiedBelow}. */
    public VolumeRecord cloned(long copiedBelow) {
        return new VolumeRecord(id, uuid, name, sizeBytes, poolId, tier, createdMillis, VolumeState.CLONING,
                copiedBelow, epoch, origin);
    }

    /** The clone is complete and writable. */
    public VolumeRecord active() {
        return new VolumeRecord(id, uuid, name, sizeBytes, poolId, tier, createdMillis, VolumeState.ACTIVE, 0, epoch, origin);
    }

    /** The definition once a snapshot pinned the current epoch: new writes take the next one. */
    public VolumeRecord nextEpoch() {
        return new VolumeRecord(id, uuid, name, sizeBytes, poolId, tier, createdMillis, state, progress, epoch + 1, origin);
    }
}
