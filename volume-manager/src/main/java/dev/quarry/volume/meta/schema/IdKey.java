package dev.quarry.volume.meta.schema;

/**
 * The key of the {@code volume}, {@code volumeusage}, {@code pool} and {@code disk} column
 * families: one unsigned 32-bit id, big-endian.
 *
 * <p>Immutable and thread-safe.
 */
public record IdKey(int id) {

    public static final int LENGTH = 4;

    public static final Codec<IdKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(IdKey k) {
            byte[] b = new byte[LENGTH];
            Bytes.putU32(b, 0, k.id);
            return b;
        }

        @Override
        public IdKey decode(byte[] b) {
            Bytes.expectKey(b, LENGTH, "id");
            return new IdKey(Bytes.u32(b, 0));
        }
    };

    public byte[] encode() {
        return CODEC.encode(this);
    }
}
