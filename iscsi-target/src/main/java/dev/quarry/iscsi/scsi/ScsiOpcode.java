package dev.quarry.iscsi.scsi;

/**
 * The operation codes (byte 0 of the CDB) this target serves, with their CDB length (SPC-4 §4.2,
 * SBC-3 §5). Opcodes whose meaning depends on a SERVICE ACTION field say so through
 * {@link #serviceActionBased()}; the service action itself is checked by the command's handler.
 *
 * <p>Immutable and thread-safe.
 */
public enum ScsiOpcode {
    TEST_UNIT_READY(0x00, 6),
    REQUEST_SENSE(0x03, 6),
    READ_6(0x08, 6),
    WRITE_6(0x0A, 6),
    INQUIRY(0x12, 6),
    MODE_SELECT_6(0x15, 6),
    RESERVE_6(0x16, 6),
    RELEASE_6(0x17, 6),
    MODE_SENSE_6(0x1A, 6),
    START_STOP_UNIT(0x1B, 6),
    PREVENT_ALLOW_MEDIUM_REMOVAL(0x1E, 6),
    READ_CAPACITY_10(0x25, 10),
    READ_10(0x28, 10),
    WRITE_10(0x2A, 10),
    WRITE_AND_VERIFY_10(0x2E, 10),
    VERIFY_10(0x2F, 10),
    PRE_FETCH_10(0x34, 10),
    SYNCHRONIZE_CACHE_10(0x35, 10),
    READ_DEFECT_DATA_10(0x37, 10),
    WRITE_SAME_10(0x41, 10),
    UNMAP(0x42, 10),
    SANITIZE(0x48, 10, true),
    MODE_SELECT_10(0x55, 10),
    RESERVE_10(0x56, 10),
    RELEASE_10(0x57, 10),
    MODE_SENSE_10(0x5A, 10),
    PERSISTENT_RESERVE_IN(0x5E, 10, true),
    PERSISTENT_RESERVE_OUT(0x5F, 10, true),
    EXTENDED_COPY(0x83, 16, true),
    RECEIVE_COPY_RESULTS(0x84, 16, true),
    READ_16(0x88, 16),
    COMPARE_AND_WRITE(0x89, 16),
    WRITE_16(0x8A, 16),
    ORWRITE_16(0x8B, 16),
    WRITE_AND_VERIFY_16(0x8E, 16),
    VERIFY_16(0x8F, 16),
    PRE_FETCH_16(0x90, 16),
    SYNCHRONIZE_CACHE_16(0x91, 16),
    WRITE_SAME_16(0x93, 16),
    WRITE_ATOMIC_16(0x9C, 16),
    SERVICE_ACTION_IN_16(0x9E, 16, true),
    REPORT_LUNS(0xA0, 12),
    MAINTENANCE_IN(0xA3, 12, true),
    READ_12(0xA8, 12),
    WRITE_12(0xAA, 12),
    WRITE_AND_VERIFY_12(0xAE, 12),
    VERIFY_12(0xAF, 12),
    READ_DEFECT_DATA_12(0xB7, 12);

    private static final ScsiOpcode[] BY_CODE = new ScsiOpcode[256];

    static {
        for (ScsiOpcode opcode : values()) {
            if (BY_CODE[opcode.code] != null) {
                throw new AssertionError("duplicate opcode " + opcode.code);
            }
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;
    private final int cdbLength;
    private final boolean serviceActionBased;

    ScsiOpcode(int code, int cdbLength) {
        this(code, cdbLength, false);
    }

    ScsiOpcode(int code, int cdbLength, boolean serviceActionBased) {
        this.code = code;
        this.cdbLength = cdbLength;
        this.serviceActionBased = serviceActionBased;
    }

    /** The operation code byte. */
    public int code() {
        return code;
    }

    /** The length of the CDB in bytes; the control byte is its last byte. */
    public int cdbLength() {
        return cdbLength;
    }

    /** Whether the command is one of several selected by a SERVICE ACTION field (byte 1, bits 4..0). */
    public boolean serviceActionBased() {
        return serviceActionBased;
    }

    /** The opcode for {@code code}, or {@code null} when this target does not serve it. */
    public static ScsiOpcode of(int code) {
        return code < 0 || code > 0xFF ? null : BY_CODE[code];
    }
}
