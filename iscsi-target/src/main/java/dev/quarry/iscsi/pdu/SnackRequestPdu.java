package dev.quarry.iscsi.pdu;

/**
 * SNACK Request (RFC 7143 §11.16). Only meaningful at ErrorRecoveryLevel &gt; 0, so the target
 * answers it with a Reject.
 *
 * <p>Immutable and thread-safe.
 */
public record SnackRequestPdu(int type, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSn,
                              int begRun, int runLength) implements InitiatorPdu {

    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }
}
