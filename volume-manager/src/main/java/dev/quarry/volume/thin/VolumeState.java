package dev.quarry.volume.thin;

/**
 * The life of a volume definition: {@code CLONING} while a clone's map is copied from its
 * snapshot, {@code ACTIVE}, or {@code DELETING} while its chunks are being released (both resumed
 * after a restart).
 *
 * <p>Immutable and thread-safe.
 */
public enum VolumeState {
    ACTIVE(1), DELETING(2), CLONING(3);

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
