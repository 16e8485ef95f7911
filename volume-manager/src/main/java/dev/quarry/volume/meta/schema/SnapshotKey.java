package dev.quarry.volume.meta.schema;

/**
 * A key of the {@code snapshot} column family: a volume id then a snapshot id, big-endian, so a
 * volume's snapshots scan in creation order under the volume's 4-byte prefix.
 *
 * <p>Immutable and thread-safe.
 */
public record SnapshotKey(int volumeId, long snapshotId) {

    public static final int LENGTH = 12;

    public static final Codec<SnapshotKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(SnapshotKey k) {
            byte[] b = new byte[LENGTH];
            Bytes.putU32(b, 0, k.volumeId);
            Bytes.putU64(b, 4, k.snapshotId);
            return b;
        }

        @Override
        public SnapshotKey decode(byte[] b) {
            Bytes.expectKey(b, LENGTH, "snapshot");
            return new SnapshotKey(Bytes.u32(b, 0), Bytes.u64(b, 4));
        }
    };

    public byte[] encode() {
        return CODEC.encode(this);
    }

    /** The first key of a volume's snapshots. */
    public static byte[] volumeStart(int volumeId) {
        return new SnapshotKey(volumeId, 0).encode();
    }

    /** The first key after a volume's snapshots. */
    public static byte[] volumeEnd(int volumeId) {
        return new SnapshotKey(volumeId + 1, 0).encode();
    }
}
