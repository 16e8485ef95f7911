package dev.quarry.volume.chunk;

/**
 * The metadata of one stored chunk (the {@code chunk} column family's value): where its record
 * lies, how its payload is encoded, and the CRC32C its on-disk header carries, so that fsck can
 * compare the two. A fingerprint joins it when deduplication arrives (a new format version).
 *
 * <p>Immutable and thread-safe.
 *
 * @param placement where the record lies
 * @param codec the payload encoding ({@link ChunkFormat#CODEC_RAW} for now)
 * @param logicalLength the decoded payload length (4096 for a block)
 * @param checksum the record's CRC32C, as in its header
 */
public record ChunkRecord(Placement placement, int codec, int logicalLength, int checksum) {

    public ChunkRecord withPlacement(Placement moved) {
        return new ChunkRecord(moved, codec, logicalLength, checksum);
    }
}
