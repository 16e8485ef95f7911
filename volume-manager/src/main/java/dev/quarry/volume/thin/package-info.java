/**
 * Thin-provisioned volumes on the chunk store, their definitions, and the admin {@code VolumeService}.
 */
package dev.quarry.volume.thin;
