/**
 * The RocksDB instance: opening, tuning, batches, cursors, snapshots, errors, closing in a fixed order.
 */
package dev.quarry.volume.meta.store;
