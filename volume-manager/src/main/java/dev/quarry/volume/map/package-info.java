/**
 * The block map: the live mapping of each 4 KiB block, the overlay of acknowledged but uncommitted mappings, and the hot-entry cache.
 */
package dev.quarry.volume.map;
