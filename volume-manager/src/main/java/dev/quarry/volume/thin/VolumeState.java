package dev.quarry.volume.thin;

/**
 * The life of a volume definition: {@code ACTIVE}, or {@code DELETING} while its chunks are being
 * released (resumed after a restart).
 *
 * <p>Immutable and thread-safe.
 */
public enum VolumeState {
    ACTIVE(1), DELETING(2);

    private final int code;

    VolumeState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static VolumeState of(int code) {
        for (VolumeState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown volume state code " + code);
    }
}
