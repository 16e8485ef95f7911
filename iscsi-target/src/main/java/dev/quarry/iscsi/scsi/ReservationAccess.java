package dev.quarry.iscsi.scsi;

/**
 * How a command stands in the presence of a reservation held by another I_T nexus (SPC-4 §5.13.1
 * table 66 and SBC-3 §4.17 table 13): allowed regardless, allowed under Write Exclusive only
 * (it reads), or always in conflict (it writes or changes state). Commands allowed even under
 * another nexus' RESERVE(6) say so separately (SPC-2 §5.5.1).
 *
 * <p>Immutable and thread-safe.
 */
enum ReservationAccess {
    /** Allowed under every reservation, including another nexus' RESERVE(6). */
    ANY_EVEN_RESERVED,
    /** Allowed under every persistent reservation; conflicts with another nexus' RESERVE(6). */
    ANY,
    /** Allowed under Write Exclusive types; conflicts under Exclusive Access types. */
    READ,
    /** Conflicts under every type. */
    WRITE,
    /** RESERVE and RELEASE(6/10): their handler decides (SPC-4 §5.13.3). */
    RESERVE_RELEASE;

    /** The access class of the command {@code cdb}, whose opcode is {@code opcode}. */
    static ReservationAccess of(ScsiOpcode opcode, byte[] cdb) {
        return switch (opcode) {
            case INQUIRY, REPORT_LUNS, REQUEST_SENSE -> ANY_EVEN_RESERVED;
            case MAINTENANCE_IN -> reportsOnly(cdb[1] & 0x1F) ? ANY_EVEN_RESERVED : READ;
            case TEST_UNIT_READY, READ_CAPACITY_10, PERSISTENT_RESERVE_IN, PERSISTENT_RESERVE_OUT -> ANY;
            case SERVICE_ACTION_IN_16 -> (cdb[1] & 0x1F) == ServiceActions.READ_CAPACITY_16 ? ANY : READ;
            case RESERVE_6, RESERVE_10, RELEASE_6, RELEASE_10 -> RESERVE_RELEASE;
            case READ_6, READ_10, READ_12, READ_16, VERIFY_10, VERIFY_12, VERIFY_16, PRE_FETCH_10, PRE_FETCH_16,
                 MODE_SENSE_6, MODE_SENSE_10, READ_DEFECT_DATA_10, READ_DEFECT_DATA_12, RECEIVE_COPY_RESULTS -> READ;
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> (cdb[4] & 0x03) == 0 ? ANY : WRITE;
            case WRITE_6, WRITE_10, WRITE_12, WRITE_16, WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16,
                 WRITE_SAME_10, WRITE_SAME_16, WRITE_ATOMIC_16, ORWRITE_16, COMPARE_AND_WRITE, UNMAP, SANITIZE,
                 SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16, MODE_SELECT_6, MODE_SELECT_10, START_STOP_UNIT,
                 EXTENDED_COPY -> WRITE;
        };
    }

    /**
     * Whether the MAINTENANCE IN service action only describes the device (SPC-4 table 66 allows
     * these under every reservation); hosts send them while discovering paths, whoever holds it.
     */
    private static boolean reportsOnly(int serviceAction) {
        return serviceAction == ServiceActions.REPORT_TARGET_PORT_GROUPS
                || serviceAction == ServiceActions.REPORT_SUPPORTED_OPERATION_CODES
                || serviceAction == ServiceActions.REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS;
    }
}
