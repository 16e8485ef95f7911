package dev.quarry.volume.meta.schema;

/**
 * Values of the counter column families ({@code refcount}, {@code segmentlive},
 * {@code volumeusage}), which RocksDB's built-in {@code uint64add} merge operator adds to without
 * a read. That operator owns the layout: eight bytes, little-endian (RocksDB's fixed64), no
 * version byte. These column families are the one exception to "a format-version byte first";
 * a new counter layout would be a new column family. Decrements add the two's complement.
 *
 * <p>Stateless and thread-safe.
 */
public final class Counters {

    /** The codec of a counter value: a signed delta or total as RocksDB's fixed64. */
    public static final Codec<Long> CODEC = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return encode(value.longValue());
        }

        private byte[] encode(long v) {
            byte[] b = new byte[8];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            return b;
        }

        @Override
        public Long decode(byte[] bytes) {
            return Counters.decode(bytes);
        }
    };

    private Counters() {
    }

    /**
     * The reference count of a chunk from its {@code refcount} value. The family stores the
     * references beyond the first: a chunk is born with one reference (the block that maps it)
     * and no entry, so a volume written once holds no refcount entries at all; a chunk whose
     * last reference went holds -1.
     */
    public static long references(byte[] refcountValue) {
        return 1 + decode(refcountValue);
    }

    public static byte[] delta(long delta) {
        return CODEC.encode(delta);
    }

    /** The counter's value; a missing counter is zero. */
    public static long decode(byte[] bytes) {
        if (bytes == null) {
            return 0;
        }
        if (bytes.length != 8) {
            throw new IllegalArgumentException("counter must be 8 bytes, found " + bytes.length);
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }
}
