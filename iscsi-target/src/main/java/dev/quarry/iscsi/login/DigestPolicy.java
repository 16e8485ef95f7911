package dev.quarry.iscsi.login;

/**
 * What the target accepts for HeaderDigest or DataDigest (RFC 7143 §13.1). The initiator's list
 * order decides among the accepted values.
 *
 * <p>Immutable and thread-safe.
 */
public enum DigestPolicy {
    /** Only None. */
    NEVER,
    /** None or CRC32C, whichever the initiator lists first. */
    ALLOWED,
    /** Only CRC32C; a login that does not agree on it fails. */
    REQUIRED;

    boolean accepts(String value) {
        return switch (value) {
            case TextKey.NONE -> this != REQUIRED;
            case TextKey.CRC32C -> this != NEVER;
            default -> false;
        };
    }
}
