package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.Locale;

/**
 * The target refused our login with a Login Response status (RFC 7143 §11.13.5), or the login
 * broke a rule we enforce (our mutual CHAP check, a negotiation answer outside what we offered).
 * Status class 2 (initiator error: authentication, authorization, target not found) does not go
 * away by retrying, so {@link IscsiInitiator#open} fails at once on it.
 *
 * <p>Immutable and thread-safe. The message never holds a secret.
 */
public final class LoginRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status Status-Class and Status-Detail as one number ({@code 0x0201}), or -1 when we
     *     ended the login ourselves
     */
    public LoginRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Status-Class and Status-Detail ({@code 0x0201} style), -1 when we ended the login. */
    public int status() {
        return status;
    }

    /** {@code 0x0201 (authentication failure)} style: the number and, when RFC 7143 names it, its name. */
    public static String describe(int status) {
        for (LoginStatus known : LoginStatus.values()) {
            if (known.code() == status) {
                return String.format("0x%04x (%s)", status, known.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        return String.format("0x%04x", status);
    }

    /** Whether retrying cannot help: the target refused the initiator (class 2) or we refused the target. */
    public boolean permanent() {
        return status < 0 || (status >> 8) == 0x02;
    }
}
