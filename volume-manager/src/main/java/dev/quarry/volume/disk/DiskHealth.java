package dev.quarry.volume.disk;

/**
 * Told when a backend disk returns an I/O error: the volume manager marks the disk FAILED
 * (durably), so new chunks go to healthy disks while its other chunks stay readable.
 *
 * <p>Implementations are thread-safe and return promptly.
 */
@FunctionalInterface
public interface DiskHealth {

    void failed(BackendDisk disk, Throwable cause);
}
