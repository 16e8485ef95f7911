package dev.quarry.iscsi.pdu;

/**
 * Byte offsets of the Basic Header Segment (RFC 7143 §11.2.1), shared by every PDU layout.
 *
 * <pre>
 * Byte/     0       |       1       |       2       |       3       |
 *    /              |               |               |               |
 *   |0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|
 *   +---------------+---------------+---------------+---------------+
 *  0|.|I| Opcode    |F|  Opcode-specific fields                     |
 *   +---------------+---------------+---------------+---------------+
 *  4|TotalAHSLength | DataSegmentLength                             |
 *   +---------------+---------------+---------------+---------------+
 *  8| LUN or Opcode-specific fields (ISID + TSIH in login PDUs)     |
 *   +                                                               +
 * 12|                                                               |
 *   +---------------+---------------+---------------+---------------+
 * 16| Initiator Task Tag                                            |
 *   +---------------+---------------+---------------+---------------+
 * 20| Target Transfer Tag / EDTL / CID / Referenced Task Tag        |
 *   +---------------+---------------+---------------+---------------+
 * 24| CmdSN (initiator PDUs) or StatSN (target PDUs)                |
 *   +---------------+---------------+---------------+---------------+
 * 28| ExpStatSN (initiator PDUs) or ExpCmdSN (target PDUs)          |
 *   +---------------+---------------+---------------+---------------+
 * 32| MaxCmdSN (target PDUs) / CDB / RefCmdSN                       |
 *   +---------------+---------------+---------------+---------------+
 * 36| DataSN / R2TSN / ExpDataSN / Status-Class / AsyncEvent        |
 *   +---------------+---------------+---------------+---------------+
 * 40| Buffer Offset / Bidi Read Residual / Time2Wait                |
 *   +---------------+---------------+---------------+---------------+
 * 44| Residual Count / Desired Data Transfer Length / RunLength     |
 *   +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * <p>Constants only.
 */
public final class Bhs {

    /** Length of the BHS. */
    public static final int LENGTH = 48;
    /** Length of a header or data digest (CRC32C). */
    public static final int DIGEST_LENGTH = 4;
    /** The reserved tag value ("no tag"), 0xffffffff. */
    public static final int RESERVED_TAG = 0xFFFF_FFFF;
    /** Largest DataSegmentLength the 24-bit field can carry. */
    public static final int MAX_DATA_SEGMENT_LENGTH = 0xFF_FFFF;

    public static final int OPCODE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    /** Opcode-specific byte 2: Response, Reason, Version-max or Function field. */
    public static final int BYTE2_OFFSET = 2;
    /** Opcode-specific byte 3: Status, Version-min or Version-active. */
    public static final int BYTE3_OFFSET = 3;
    public static final int TOTAL_AHS_LENGTH_OFFSET = 4;
    public static final int DATA_SEGMENT_LENGTH_OFFSET = 5;
    public static final int LUN_OFFSET = 8;
    public static final int ISID_OFFSET = 8;
    public static final int TSIH_OFFSET = 14;
    public static final int INITIATOR_TASK_TAG_OFFSET = 16;
    public static final int TARGET_TRANSFER_TAG_OFFSET = 20;
    public static final int EXPECTED_DATA_TRANSFER_LENGTH_OFFSET = 20;
    public static final int REFERENCED_TASK_TAG_OFFSET = 20;
    public static final int CID_OFFSET = 20;
    public static final int SNACK_TAG_OFFSET = 20;
    public static final int CMD_SN_OFFSET = 24;
    public static final int STAT_SN_OFFSET = 24;
    public static final int EXP_STAT_SN_OFFSET = 28;
    public static final int EXP_CMD_SN_OFFSET = 28;
    public static final int MAX_CMD_SN_OFFSET = 32;
    public static final int CDB_OFFSET = 32;
    public static final int REF_CMD_SN_OFFSET = 32;
    public static final int DATA_SN_OFFSET = 36;
    public static final int R2T_SN_OFFSET = 36;
    public static final int EXP_DATA_SN_OFFSET = 36;
    public static final int STATUS_CLASS_OFFSET = 36;
    public static final int STATUS_DETAIL_OFFSET = 37;
    public static final int ASYNC_EVENT_OFFSET = 36;
    public static final int ASYNC_VCODE_OFFSET = 37;
    public static final int PARAMETER1_OFFSET = 38;
    public static final int PARAMETER2_OFFSET = 40;
    public static final int PARAMETER3_OFFSET = 42;
    public static final int BUFFER_OFFSET_OFFSET = 40;
    public static final int BEG_RUN_OFFSET = 40;
    public static final int BIDI_READ_RESIDUAL_COUNT_OFFSET = 40;
    public static final int TIME2WAIT_OFFSET = 40;
    public static final int TIME2RETAIN_OFFSET = 42;
    public static final int RESIDUAL_COUNT_OFFSET = 44;
    public static final int DESIRED_DATA_TRANSFER_LENGTH_OFFSET = 44;
    public static final int RUN_LENGTH_OFFSET = 44;

    /** The I (immediate delivery) bit in byte 0 of initiator PDUs. */
    public static final int IMMEDIATE_BIT = 0x40;
    /** The F (final) bit in byte 1. */
    public static final int FINAL_BIT = 0x80;
    /** The CDB field of the SCSI Command BHS. */
    public static final int CDB_LENGTH = 16;

    private Bhs() {
    }

    /** {@code length} rounded up to the next multiple of four (RFC 7143 §11.2.3 padding). */
    public static int padded(int length) {
        return (length + 3) & ~3;
    }
}
