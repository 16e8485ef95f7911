package dev.quarry.iscsi.login;

/**
 * Answers whether a login with a non-zero TSIH names a live session (RFC 7143 §6.3.1).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface ExistingSessions {

    /** Whether a session with {@code tsih} exists for the initiator port {@code initiatorName}/{@code isid}. */
    boolean exists(int tsih, String initiatorName, long isid);
}
