package dev.quarry.volume.snapshot;

import dev.quarry.block.BlockVolume;
import dev.quarry.volume.pool.Job;
import java.util.List;
import java.util.Optional;

/**
 * What the admin layer (REST, CLI) and the SCSI wiring do with snapshots and clones. A snapshot
 * is a pinned write epoch of its volume: creating or deleting one costs O(1) metadata, and only
 * blocks overwritten afterwards are kept for it. Names are unique per volume; creating is
 * idempotent by name.
 *
 * <p>Errors: {@link java.util.NoSuchElementException} when the volume or snapshot does not exist,
 * {@link IllegalStateException} when its state forbids the change (a clone being copied from a
 * snapshot being deleted, a volume with snapshots being sanitized...),
 * {@link IllegalArgumentException} for a bad name.
 *
 * <p>Thread-safe. Methods block (RocksDB, a quiesce of the volume): call from admin worker threads.
 */
public interface SnapshotService {

    /**
     * Takes a crash-consistent snapshot of {@code volume}: every write acknowledged before the
     * call is in it, none started after. The same name again returns the existing snapshot.
     */
    SnapshotRecord createSnapshot(String volume, String name);

    /** The readable snapshots of {@code volume}, oldest first. */
    List<SnapshotRecord> listSnapshots(String volume);

    Optional<SnapshotRecord> snapshot(String volume, String name);

    /**
     * Deletes a snapshot: it is gone from lists at once; the returned job frees the blocks no
     * other snapshot needs and reports progress. Refused while a clone is being copied from it
     * or while it is exported ({@link #openSnapshot} handles not yet closed).
     */
    Job deleteSnapshot(String volume, String name);

    /**
     * Rolls {@code volume} back to {@code snapshot}: afterwards it reads exactly as the snapshot.
     * I/O to the volume waits while the job runs. Hosts' caches cannot know the data changed, so
     * stop their use of the LUN first, as with any rollback. Snapshots newer than the target stay.
     */
    Job rollback(String volume, String snapshot);

    /**
     * Creates the writable volume {@code cloneName} (same pool and size) from a snapshot. Its map
     * is copied sharing the snapshot's chunks (no data is copied): the volume is listed at once
     * in state CLONING and can be opened when the job succeeded; it depends on nothing after.
     * The same request again returns the running or finished clone's job.
     */
    Job cloneSnapshot(String volume, String snapshot, String cloneName);

    /** A read-only view of a snapshot to export as a LUN; close it when unexported. */
    BlockVolume openSnapshot(String volume, String snapshot);
}
