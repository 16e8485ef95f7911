/**
 * Chunks: the self-describing on-disk record format, chunk ids, appending records to a pool and reading them back verified.
 */
package dev.quarry.volume.chunk;
