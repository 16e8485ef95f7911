package dev.quarry.iscsi.pdu;

/**
 * Ready To Transfer (RFC 7143 §11.8): solicits one Data-Out sequence.
 *
 * <p>Immutable and thread-safe.
 */
public record R2tPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSn, int expCmdSn, int maxCmdSn,
                     int r2tSn, int bufferOffset, int desiredDataTransferLength) implements TargetPdu {

    @Override
    public Opcode opcode() {
        return Opcode.R2T;
    }
}
