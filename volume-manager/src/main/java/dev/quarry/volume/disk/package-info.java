/**
 * Backend disks: any {@code BlockDevice} with its record, label (superblock), state and statistics; file disks with optional O_DIRECT.
 */
package dev.quarry.volume.disk;
