package dev.quarry.volume.thin;

/**
 * A snapshot of a volume's space, for the metrics layer and the admin API.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the volume
 * @param capacityBytes its size
 * @param mappedBytes bytes of its mapped 4 KiB blocks (committed)
 * @param snapshots how many readable snapshots it has (not those being deleted)
 * @param snapshotBytes bytes of the 4 KiB blocks kept only for its snapshots (overwritten or
 *                      unmapped since)
 */
public record VolumeStatistics(String name, long capacityBytes, long mappedBytes, int snapshots, long snapshotBytes) {
}
