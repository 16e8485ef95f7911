package dev.quarry.iscsi.scsi;

/**
 * SERVICE ACTION codes (byte 1, bits 4..0) of the service-action-based opcodes this target
 * serves, grouped by opcode.
 */
final class ServiceActions {

    /** SERVICE ACTION IN(16), SBC-3 §5.16 and §5.6. */
    static final int READ_CAPACITY_16 = 0x10;
    static final int GET_LBA_STATUS = 0x12;

    /** MAINTENANCE IN, SPC-4 §6.36, §6.35, §6.37. */
    static final int REPORT_TARGET_PORT_GROUPS = 0x0A;
    static final int REPORT_SUPPORTED_OPERATION_CODES = 0x0C;
    static final int REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS = 0x0D;

    /** THIRD PARTY COPY OUT (EXTENDED COPY), SPC-4 §6.4. */
    static final int EXTENDED_COPY_LID1 = 0x00;

    /** THIRD PARTY COPY IN (RECEIVE COPY RESULTS), SPC-4 §6.18. */
    static final int COPY_STATUS = 0x00;
    static final int OPERATING_PARAMETERS = 0x03;

    /** SANITIZE, SBC-3 §5.19. */
    static final int OVERWRITE = 0x01;
    static final int BLOCK_ERASE = 0x02;
    static final int CRYPTO_ERASE = 0x03;
    static final int EXIT_FAILURE_MODE = 0x1F;

    /** PERSISTENT RESERVE IN, SPC-4 §6.15. */
    static final int READ_KEYS = 0x00;
    static final int READ_RESERVATION = 0x01;
    static final int REPORT_CAPABILITIES = 0x02;
    static final int READ_FULL_STATUS = 0x03;

    /** PERSISTENT RESERVE OUT, SPC-4 §6.16. */
    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE_EXISTING_KEY = 0x06;
    static final int REGISTER_AND_MOVE = 0x07;

    private ServiceActions() {
    }
}
