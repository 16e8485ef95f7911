package dev.quarry.volume.disk;

/**
 * The performance class of a backend disk (DESIGN "Backend disk"); new chunks of a volume land on
 * disks of the volume's tier.
 *
 * <p>Immutable and thread-safe.
 */
public enum TierClass {
    FC(1), SAS(2), SATA(3);

    private final int code;

    TierClass(int code) {
        this.code = code;
    }

    /** The stored code. */
    public int code() {
        return code;
    }

    public static TierClass of(int code) {
        for (TierClass t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tier class code " + code);
    }
}
