package dev.quarry.iscsi.pdu;

/**
 * Task Management Function Response (RFC 7143 §11.6).
 *
 * <p>Immutable and thread-safe.
 *
 * @param response the Response code, as {@code TmfResult.code()}
 */
public record TaskManagementResponsePdu(int response, int initiatorTaskTag, int statSn, int expCmdSn, int maxCmdSn)
        implements TargetPdu {

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MGMT_RESPONSE;
    }
}
