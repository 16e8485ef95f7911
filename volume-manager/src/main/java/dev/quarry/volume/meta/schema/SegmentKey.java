package dev.quarry.volume.meta.schema;

/**
 * The key of the {@code segment} and {@code segmentlive} column families.
 *
 * <pre>
 *  0        2                6
 *  +--------+----------------+
 *  | diskId | segment (u32)  |
 *  +--------+----------------+
 * </pre>
 * Big-endian. Immutable and thread-safe.
 */
public record SegmentKey(int diskId, int segment) {

    public static final int LENGTH = 6;

    public static final Codec<SegmentKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(SegmentKey k) {
            byte[] b = new byte[LENGTH];
            Bytes.putU16(b, 0, k.diskId);
            Bytes.putU32(b, 2, k.segment);
            return b;
        }

        @Override
        public SegmentKey decode(byte[] b) {
            Bytes.expectKey(b, LENGTH, "segment");
            return new SegmentKey(Bytes.u16(b, 0), Bytes.u32(b, 2));
        }
    };

    public byte[] encode() {
        return CODEC.encode(this);
    }

    /** The first key of a disk's segments. */
    public static byte[] diskStart(int diskId) {
        return new SegmentKey(diskId, 0).encode();
    }

    /** The first key after a disk's segments. */
    public static byte[] diskEnd(int diskId) {
        byte[] b = new byte[LENGTH];
        Bytes.putU16(b, 0, diskId + 1);
        return b;
    }
}
