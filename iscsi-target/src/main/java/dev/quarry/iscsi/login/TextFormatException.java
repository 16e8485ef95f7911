package dev.quarry.iscsi.login;

/**
 * A data segment that does not follow the text format of RFC 7143 §6.1 (missing NUL, key without
 * {@code =}, over-long key or value, invalid UTF-8, a key given twice).
 *
 * <p>Immutable and thread-safe.
 */
public final class TextFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public TextFormatException(String message) {
        super(message, null, false, false);
    }
}
