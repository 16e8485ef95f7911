package dev.quarry.iscsi.pdu;

/**
 * A violation of RFC 7143 by the peer, carrying the Reject reason that answers it (STYLE B8).
 * Thrown by PDU layouts and caught at the pipeline boundary, where it becomes a Reject PDU.
 *
 * <p>Immutable and thread-safe.
 */
public final class IscsiProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public IscsiProtocolException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** The reason to put into the Reject PDU. */
    public RejectReason reason() {
        return reason;
    }
}
