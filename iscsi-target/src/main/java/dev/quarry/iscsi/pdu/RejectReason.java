package dev.quarry.iscsi.pdu;

/**
 * Reason codes of the Reject PDU (RFC 7143 §11.17.1), only those the target sends.
 *
 * <p>Immutable and thread-safe.
 */
public enum RejectReason {
    /** A data segment failed its CRC32C; the PDU was discarded. */
    DATA_DIGEST_ERROR(0x02),
    /** A SNACK the target cannot honour (SNACK needs ErrorRecoveryLevel &gt; 0). */
    SNACK_REJECT(0x03),
    /** The PDU is not allowed here (state, sequence or limits). */
    PROTOCOL_ERROR(0x04),
    /** Unknown opcode, or a request the session type does not carry. */
    COMMAND_NOT_SUPPORTED(0x05),
    /** Too many immediate commands outstanding. */
    IMMEDIATE_COMMAND_REJECT(0x06),
    /** A field holds a reserved or impossible value. */
    INVALID_PDU_FIELD(0x09),
    /** The session is being logged out (after an asynchronous logout request). */
    WAITING_FOR_LOGOUT(0x0C);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }
}
