package dev.quarry.iscsi.pdu;

/**
 * Logout Response (RFC 7143 §11.15).
 *
 * <p>Immutable and thread-safe.
 *
 * @param response 0 closed successfully, 1 CID not found, 2 connection recovery not supported,
 *     3 cleanup failed
 */
public record LogoutResponsePdu(int response, int initiatorTaskTag, int statSn, int expCmdSn, int maxCmdSn,
                                int time2Wait, int time2Retain) implements TargetPdu {

    public static final int CLOSED_SUCCESSFULLY = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }
}
