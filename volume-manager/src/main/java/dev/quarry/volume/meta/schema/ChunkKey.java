package dev.quarry.volume.meta.schema;

/**
 * The key of the {@code chunk}, {@code refcount} and {@code pendingfree} column families: a
 * chunk id, big-endian, 8 bytes. Chunk ids are allocated in increasing order and never reused.
 *
 * <p>Immutable and thread-safe.
 */
public record ChunkKey(long chunkId) {

    public static final int LENGTH = 8;

    public static final Codec<ChunkKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(ChunkKey k) {
            return ChunkKey.encode(k.chunkId);
        }

        @Override
        public ChunkKey decode(byte[] b) {
            return new ChunkKey(ChunkKey.decode(b));
        }
    };

    public static byte[] encode(long chunkId) {
        byte[] b = new byte[LENGTH];
        Bytes.putU64(b, 0, chunkId);
        return b;
    }

    public static long decode(byte[] b) {
        Bytes.expectKey(b, LENGTH, "chunk");
        return Bytes.u64(b, 0);
    }
}
