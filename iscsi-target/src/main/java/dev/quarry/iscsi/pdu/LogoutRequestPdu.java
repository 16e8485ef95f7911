package dev.quarry.iscsi.pdu;

/**
 * Logout Request (RFC 7143 §11.14).
 *
 * <p>Immutable and thread-safe.
 *
 * @param reasonCode 0 close the session, 1 close the connection, 2 remove the connection for
 *     recovery
 */
public record LogoutRequestPdu(boolean immediate, int reasonCode, int initiatorTaskTag, int cid, int cmdSn,
                               int expStatSn) implements InitiatorPdu {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }
}
