package dev.quarry.volume.thin;

import dev.quarry.volume.commit.Retention;

/**
 * What the volume registry needs to know of snapshots: the retention a volume's writes carry,
 * and whether a volume still has snapshots (which forbids deleting it).
 *
 * <p>Implementations are thread-safe.
 */
public interface VolumeSnapshots {

    /** The epoch and pins of {@code volume} as its snapshots stand. */
    Retention retentionOf(VolumeRecord volume);

    /** How many snapshots (readable or being deleted) {@code volumeId} has. */
    int count(int volumeId);

    /** How many readable snapshots {@code volumeId} has. */
    int readable(int volumeId);
}
