package dev.quarry.iscsi.scsi;

/**
 * The persistent reservation types (SPC-4 §6.16.3.4, table 212) with their TYPE codes.
 *
 * <p>Immutable and thread-safe.
 */
public enum ReservationType {
    WRITE_EXCLUSIVE(0x1),
    EXCLUSIVE_ACCESS(0x3),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8);

    private final int code;

    ReservationType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether only writes are excluded (reads stay open to everyone). */
    public boolean writeExclusive() {
        return this == WRITE_EXCLUSIVE || this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || this == WRITE_EXCLUSIVE_ALL_REGISTRANTS;
    }

    /** Whether every registered I_T nexus may access the unit (registrants-only and all-registrants types). */
    public boolean registrantsAllowed() {
        return this != WRITE_EXCLUSIVE && this != EXCLUSIVE_ACCESS;
    }

    /** Whether every registered I_T nexus is a reservation holder. */
    public boolean allRegistrants() {
        return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    /** The type with TYPE code {@code code}, or {@code null} when the code names no type. */
    public static ReservationType ofCode(int code) {
        for (ReservationType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
