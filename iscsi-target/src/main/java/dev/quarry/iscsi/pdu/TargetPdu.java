package dev.quarry.iscsi.pdu;

/**
 * A PDU sent by the target (RFC 7143 §11, opcodes 0x20..0x3f). Sealed so that dispatch is an
 * exhaustive {@code switch}.
 *
 * <p>Implementations are immutable records. Header-only ones are thread-safe; those carrying
 * data are reference counted and pass between threads only with their ownership.
 */
public sealed interface TargetPdu permits NopInPdu, ScsiResponsePdu, TaskManagementResponsePdu, LoginResponsePdu,
        TextResponsePdu, DataInPdu, LogoutResponsePdu, R2tPdu, AsyncMessagePdu, RejectPdu {

    /** The opcode of this PDU. */
    Opcode opcode();
}
