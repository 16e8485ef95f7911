package dev.quarry.volume.thin;

/**
 * Where a clone was copied from: a snapshot of another volume. Informational once the clone is
 * ACTIVE (a clone shares chunks, not maps, so it depends on nothing); while it is CLONING the
 * snapshot cannot be deleted.
 *
 * <p>Immutable and thread-safe.
 *
 * @param volumeId the source volume
 * @param snapshotId the source snapshot
 * @param label {@code volume@snapshot}, for people
 */
public record CloneOrigin(int volumeId, long snapshotId, String label) {
}
