package dev.quarry.volume.chunk;

/**
 * Where one copy of a chunk record lies: a disk, a segment on it, the byte offset of the record
 * within the segment and the record's length in bytes (header and stored payload, see
 * {@link ChunkFormat}).
 *
 * <p>Immutable and thread-safe.
 */
public record Placement(int diskId, int segment, int offset, int length) {

    public Placement {
        if (diskId < 0 || diskId > 0xFFFF) {
            throw new IllegalArgumentException("diskId must be 0..65535: " + diskId);
        }
        if (segment < 0 || offset < 0 || length < ChunkFormat.HEADER_BYTES || length > 0xFFFF) {
            throw new IllegalArgumentException("bad placement " + segment + "@" + offset + "+" + length);
        }
    }

    /** Whether the record lies in the given segment of the given disk. */
    public boolean in(int disk, int seg) {
        return diskId == disk && segment == seg;
    }

    @Override
    public String toString() {
        return "disk " + diskId + " segment " + segment + " offset " + offset + " length " + length;
    }
}
