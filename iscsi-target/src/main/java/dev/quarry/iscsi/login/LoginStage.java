package dev.quarry.iscsi.login;

/**
 * The login stages of the CSG/NSG fields (RFC 7143 §11.12.3).
 *
 * <p>Immutable and thread-safe.
 */
public enum LoginStage {
    SECURITY_NEGOTIATION(0),
    OPERATIONAL_NEGOTIATION(1),
    FULL_FEATURE_PHASE(3);

    private final int code;

    LoginStage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The stage for a CSG/NSG value, or {@code null} for the reserved value 2. */
    public static LoginStage ofCode(int code) {
        return switch (code) {
            case 0 -> SECURITY_NEGOTIATION;
            case 1 -> OPERATIONAL_NEGOTIATION;
            case 3 -> FULL_FEATURE_PHASE;
            default -> null;
        };
    }
}
