package dev.quarry.volume.disk;

/**
 * The life of a backend disk in its pool: {@code ONLINE} takes new chunks; {@code DRAINING} is
 * being emptied before removal and takes none; {@code FAILED} returned I/O errors and takes none,
 * but its chunks are still read (only those that fail report a medium error).
 *
 * <p>Immutable and thread-safe.
 */
public enum DiskState {
    ONLINE(1), DRAINING(2), FAILED(3);

    private final int code;

    DiskState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DiskState of(int code) {
        for (DiskState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown disk state code " + code);
    }
}
