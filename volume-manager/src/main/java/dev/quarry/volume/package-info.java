/**
 * Backend disks, pools, segments, the chunk store, volumes and their metadata.
 *
 * <p>Subpackages are named after the domain: {@code disk} (backend disks), {@code raw} (volumes
 * that export a disk as-is).
 */
package dev.quarry.volume;
