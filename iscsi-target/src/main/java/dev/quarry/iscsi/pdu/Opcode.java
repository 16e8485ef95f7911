package dev.quarry.iscsi.pdu;

/**
 * iSCSI PDU opcodes (RFC 7143 §11.2.1.2), one per message kind. Bit 5 of the code tells the
 * direction: initiator opcodes are 0x00..0x1f, target opcodes 0x20..0x3f.
 *
 * <p>Immutable and thread-safe.
 */
public enum Opcode {
    NOP_OUT(0x00),
    SCSI_COMMAND(0x01),
    TASK_MGMT_REQUEST(0x02),
    LOGIN_REQUEST(0x03),
    TEXT_REQUEST(0x04),
    DATA_OUT(0x05),
    LOGOUT_REQUEST(0x06),
    SNACK_REQUEST(0x10),
    NOP_IN(0x20),
    SCSI_RESPONSE(0x21),
    TASK_MGMT_RESPONSE(0x22),
    LOGIN_RESPONSE(0x23),
    TEXT_RESPONSE(0x24),
    DATA_IN(0x25),
    LOGOUT_RESPONSE(0x26),
    R2T(0x31),
    ASYNC_MESSAGE(0x32),
    REJECT(0x3F);

    /** The opcode field is the low six bits of BHS byte 0. */
    public static final int MASK = 0x3F;

    private static final Opcode[] BY_CODE = new Opcode[MASK + 1];

    static {
        for (Opcode opcode : values()) {
            if (BY_CODE[opcode.code] != null) {
                throw new AssertionError("duplicate opcode 0x" + Integer.toHexString(opcode.code));
            }
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The six-bit wire code. */
    public int code() {
        return code;
    }

    /** Whether the initiator sends this PDU (RFC 7143 §11.2.1.2: codes 0x00..0x1f). */
    public boolean fromInitiator() {
        return (code & 0x20) == 0;
    }

    /**
     * The opcode for the low six bits of {@code code}.
     *
     * @throws IscsiProtocolException with {@link RejectReason#COMMAND_NOT_SUPPORTED} for a
     *     reserved or vendor-specific code
     */
    public static Opcode of(int code) {
        Opcode opcode = BY_CODE[code & MASK];
        if (opcode == null) {
            throw new IscsiProtocolException(RejectReason.COMMAND_NOT_SUPPORTED,
                    "unsupported opcode 0x" + Integer.toHexString(code & MASK));
        }
        return opcode;
    }
}
