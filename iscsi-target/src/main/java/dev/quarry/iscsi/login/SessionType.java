package dev.quarry.iscsi.login;

/**
 * The SessionType key (RFC 7143 §13.21): a Normal session carries SCSI commands to one target, a
 * Discovery session only SendTargets text requests.
 *
 * <p>Immutable and thread-safe.
 */
public enum SessionType {
    NORMAL(TextKey.NORMAL),
    DISCOVERY(TextKey.DISCOVERY);

    private final String value;

    SessionType(String value) {
        this.value = value;
    }

    /** The key's value as on the wire. */
    public String value() {
        return value;
    }

    /** The type for a SessionType value, or {@code null} when not supported. */
    public static SessionType ofValue(String value) {
        for (SessionType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        return null;
    }
}
