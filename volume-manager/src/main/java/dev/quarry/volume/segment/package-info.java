/**
 * Segments of backend disks: open segments taking appends, and the scanner that walks the self-describing chunk records of a segment.
 */
package dev.quarry.volume.segment;
