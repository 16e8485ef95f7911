package dev.quarry.iscsi.pdu;

/**
 * A PDU sent by the initiator (RFC 7143 §11, opcodes 0x00..0x1f). Sealed so that dispatch is an
 * exhaustive {@code switch}.
 *
 * <p>Implementations are immutable records. Header-only ones are thread-safe; those carrying
 * data are reference counted and pass between threads only with their ownership.
 */
public sealed interface InitiatorPdu permits NopOutPdu, ScsiCommandPdu, TaskManagementRequestPdu, LoginRequestPdu,
        TextRequestPdu, DataOutPdu, LogoutRequestPdu, SnackRequestPdu {

    /** The opcode of this PDU. */
    Opcode opcode();

    /** The Initiator Task Tag. */
    int initiatorTaskTag();
}
