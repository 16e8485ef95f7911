package dev.quarry.volume.meta.schema;

/**
 * The keys of the {@code system} column family: counters from which ids are handed out. Each is
 * one byte; values are {@link ValueCodecs#SEQUENCE}.
 *
 * <p>Immutable and thread-safe.
 */
public enum SystemKey {
    /** Chunk ids below this value may have been handed out (ids are reserved in ranges). */
    CHUNK_ID_LIMIT(1),
    /** The next volume id. */
    NEXT_VOLUME_ID(2),
    /** The next pool id. */
    NEXT_POOL_ID(3),
    /** The next disk id. */
    NEXT_DISK_ID(4),
    /** The next snapshot id (one sequence for every volume). */
    NEXT_SNAPSHOT_ID(5);

    public static final Codec<SystemKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(SystemKey k) {
            return new byte[] {(byte) k.code};
        }

        @Override
        public SystemKey decode(byte[] b) {
            Bytes.expectKey(b, 1, "system");
            for (SystemKey k : values()) {
                if (k.code == b[0]) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown system key " + b[0]);
        }
    };

    private final int code;

    SystemKey(int code) {
        this.code = code;
    }
}
