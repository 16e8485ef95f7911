package dev.quarry.iscsi.initiator;

/**
 * The target broke RFC 7143 in a way an initiator at ErrorRecoveryLevel 0 can only answer by
 * dropping the connection (a Data-In out of sequence, an R2T beyond the command's data, a PDU for
 * a task that does not exist). The session then recovers and sends the commands again.
 *
 * <p>Immutable and thread-safe.
 */
final class TargetProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TargetProtocolException(String message) {
        super(message, null, false, false);
    }
}
