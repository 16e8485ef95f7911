/**
 * Group commit: mutations of block maps become durable in rounds (fdatasync of the data, then one synced WriteBatch).
 */
package dev.quarry.volume.commit;
