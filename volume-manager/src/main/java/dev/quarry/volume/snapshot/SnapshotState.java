package dev.quarry.volume.snapshot;

/** How a snapshot stands: readable, or being deleted (its blocks being reclaimed). */
public enum SnapshotState {
    ACTIVE(1), DELETING(2);

    private final int code;

    SnapshotState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SnapshotState of(int code) {
        for (SnapshotState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown snapshot state " + code);
    }
}
