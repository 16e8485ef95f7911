package dev.quarry.volume.thin;

import java.util.List;
import java.util.Optional;

/**
 * What the admin layer (REST, CLI) and the SCSI wiring do with volumes. Creating is idempotent
 * by name: the same request again returns the existing volume; a different one is refused.
 *
 * <p>Errors: {@link java.util.NoSuchElementException} when no volume has the name given.
 *
 * <p>Thread-safe. Methods block (RocksDB): call from admin worker threads, not event loops.
 */
public interface VolumeService {

    VolumeRecord createVolume(VolumeSpec spec);

    List<VolumeRecord> listVolumes();

    Optional<VolumeRecord> volume(String name);

    /** The volume as a {@link dev.quarry.block.BlockVolume} to export; the same instance each time. */
    ThinVolume open(String name);

    /** Grows a volume; subscribers hear CAPACITY_CHANGED. Shrinking is refused. */
    VolumeRecord grow(String name, long newSizeBytes);

    /** Deletes a volume: its map goes in one deleteRange after its chunks are released. */
    void deleteVolume(String name);

    VolumeStatistics statistics(String name);
}
