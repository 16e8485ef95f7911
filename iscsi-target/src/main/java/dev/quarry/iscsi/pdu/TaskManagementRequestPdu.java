package dev.quarry.iscsi.pdu;

/**
 * Task Management Function Request (RFC 7143 §11.5).
 *
 * <p>Immutable and thread-safe.
 *
 * @param function the raw function code; see {@link TaskManagementFunction}
 */
public record TaskManagementRequestPdu(boolean immediate, int function, long lun, int initiatorTaskTag,
                                       int referencedTaskTag, int cmdSn, int expStatSn, int refCmdSn, int expDataSn)
        implements InitiatorPdu {

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MGMT_REQUEST;
    }
}
