package dev.quarry.volume.meta.schema;

/**
 * A key of the {@code blockmap} column family: a 4 KiB block of a volume at a sequence number.
 * The sequence is stored inverted so that newer versions sort first; the live mapping of a block
 * sits under the fixed head key (sequence {@link #HEAD}, stored as eight 0x00 bytes), so a read of
 * the live volume is one point lookup. A version kept for snapshots is keyed by the epoch it was
 * written at, so a block's versions follow its head, newest first.
 *
 * <pre>
 *  0            4                        12                       20
 *  +------------+------------------------+------------------------+
 *  | volumeId   | block (u64)            | ~seq (u64), head = 0   |
 *  +------------+------------------------+------------------------+
 * </pre>
 * Big-endian; the first 4 bytes are the prefix extractor. Immutable and thread-safe.
 */
public record BlockMapKey(int volumeId, long block, long seq) {

    public static final int LENGTH = 20;
    public static final int PREFIX = 4;
    /** The sequence of the head key (the live mapping). */
    public static final long HEAD = -1L;

    public static final Codec<BlockMapKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(BlockMapKey k) {
            return BlockMapKey.encode(k.volumeId, k.block, k.seq);
        }

        @Override
        public BlockMapKey decode(byte[] b) {
            Bytes.expectKey(b, LENGTH, "blockmap");
            return new BlockMapKey(Bytes.u32(b, 0), Bytes.u64(b, 4), ~Bytes.u64(b, 12));
        }
    };

    public BlockMapKey {
        if (block < 0) {
            throw new IllegalArgumentException("block must not be negative: " + block);
        }
    }

    /** The head key of a block. */
    public static byte[] head(int volumeId, long block) {
        return encode(volumeId, block, HEAD);
    }

    public static byte[] encode(int volumeId, long block, long seq) {
        byte[] b = new byte[LENGTH];
        Bytes.putU32(b, 0, volumeId);
        Bytes.putU64(b, 4, block);
        Bytes.putU64(b, 12, ~seq);
        return b;
    }

    public static boolean isHead(byte[] key) {
        return Bytes.u64(key, 12) == 0;
    }

    public static int volumeOf(byte[] key) {
        return Bytes.u32(key, 0);
    }

    public static long blockOf(byte[] key) {
        return Bytes.u64(key, 4);
    }

    /** The sequence (epoch) of a version key; {@link #HEAD} for a head key. */
    public static long seqOf(byte[] key) {
        return ~Bytes.u64(key, 12);
    }

    /** The first key of a volume (inclusive bound of its range). */
    public static byte[] volumeStart(int volumeId) {
        return encode(volumeId, 0, HEAD);
    }

    /** The first key after a volume (exclusive bound of its range). */
    public static byte[] volumeEnd(int volumeId) {
        byte[] b = new byte[LENGTH];
        Bytes.putU32(b, 0, volumeId + 1);
        return b;
    }
}
