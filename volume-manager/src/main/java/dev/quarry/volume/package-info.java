/**
 * Backend disks, pools, segments, the redirect-on-write chunk store, thin volumes and their
 * metadata in RocksDB. {@link dev.quarry.volume.VolumeManager} opens it all from a data
 * directory; docs/chunk-store.md describes the formats and the commit pipeline.
 *
 * <p>Subpackages are named after the domain: {@code disk} (backend disks, labels),
 * {@code segment}, {@code chunk} (records, reading and appending them), {@code map} (block map,
 * overlay, cache), {@code commit} (group commit), {@code meta.schema} and {@code meta.store}
 * (RocksDB), {@code pool}, {@code thin} (thin volumes), {@code gc} (reaper, cleaner, drains),
 * {@code fsck}, and {@code raw} (volumes that export a disk as-is).
 */
package dev.quarry.volume;
