/**
 * Garbage collection: the reaper of unreferenced chunks, the segment cleaner, disk drains, and the collector thread that runs them.
 */
package dev.quarry.volume.gc;
