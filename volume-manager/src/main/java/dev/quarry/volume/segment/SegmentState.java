package dev.quarry.volume.segment;

/**
 * The state of an allocated segment. A free segment has no record at all. {@code OPEN} segments
 * take appends; {@code SEALED} ones are full (or were open at a restart) and may be cleaned.
 *
 * <p>Immutable and thread-safe.
 */
public enum SegmentState {
    OPEN(1), SEALED(2);

    private final int code;

    SegmentState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SegmentState of(int code) {
        for (SegmentState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown segment state code " + code);
    }
}
