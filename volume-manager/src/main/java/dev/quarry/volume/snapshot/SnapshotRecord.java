package dev.quarry.volume.snapshot;

/**
 * The durable definition of a snapshot (the {@code snapshot} column family's value): a pinned
 * write epoch of its volume. A read of the snapshot sees, for each block, the newest mapping
 * written at or before {@code epoch} (DESIGN "Sequence numbers").
 *
 * <p>Immutable and thread-safe.
 *
 * @param volumeId the volume it belongs to
 * @param id unique within the volume, increasing with creation
 * @param name unique within the volume
 * @param epoch the volume's write epoch it pins
 * @param sizeBytes the volume's capacity when it was taken (a later growth is not in it)
 * @param createdMillis creation time, milliseconds since the epoch
 * @param state ACTIVE or DELETING
 */
public record SnapshotRecord(int volumeId, long id, String name, long epoch, long sizeBytes, long createdMillis,
                             SnapshotState state) {

    public SnapshotRecord deleting() {
        return new SnapshotRecord(volumeId, id, name, epoch, sizeBytes, createdMillis, SnapshotState.DELETING);
    }
}
