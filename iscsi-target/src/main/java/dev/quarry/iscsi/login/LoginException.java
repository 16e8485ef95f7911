package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;

/**
 * A login that must fail with {@link #status()} (RFC 7143 §11.13.5); the target sends that
 * status in a Login Response and closes the connection.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final LoginStatus status;

    public LoginException(LoginStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public LoginStatus status() {
        return status;
    }
}
