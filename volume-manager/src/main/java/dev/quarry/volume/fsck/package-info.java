/**
 * Consistency checking of block maps, chunk records, reference counts, segment usage and on-disk chunk headers ({@code quarry fsck}).
 */
package dev.quarry.volume.fsck;
