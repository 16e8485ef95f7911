package dev.quarry.iscsi.server;

import dev.quarry.iscsi.login.SessionType;
import dev.quarry.iscsi.pdu.LoginStatus;

/**
 * Where the transport reports what metrics count (connections, logins). The appliance binds it
 * to Micrometer ({@code iscsi.connections}, {@code iscsi.logins} tagged by result); by default
 * nothing is recorded.
 *
 * <p>Implementations must be thread-safe and must not block: they are called on event loops.
 */
public interface TransportMetrics {

    /** Records nothing. */
    TransportMetrics NONE = new TransportMetrics() {
    };

    /** A TCP connection was accepted. */
    default void connectionOpened() {
    }

    /** A TCP connection was refused by the per-source or total connection limit. */
    default void connectionRefused() {
    }

    /** An accepted connection closed. */
    default void connectionClosed() {
    }

    /** A login reached full feature phase. */
    default void loginSucceeded(SessionType type) {
    }

    /** A login failed with {@code status}; {@code null} when it timed out or sent an unusable PDU. */
    default void loginFailed(LoginStatus status) {
    }
}
