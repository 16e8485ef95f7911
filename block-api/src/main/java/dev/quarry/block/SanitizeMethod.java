package dev.quarry.block;

/**
 * How a sanitize makes a volume's user data unrecoverable (SBC-4 §4.11), as far as a volume can
 * honestly perform it.
 */
public enum SanitizeMethod {
    /** Every block is overwritten with a pattern, one or more passes. */
    OVERWRITE,
    /** Every block is erased to a value the volume chooses (zeroes here); reads then succeed. */
    BLOCK_ERASE,
    /** The key that encrypts the data is replaced; only a volume that encrypts can offer it. */
    CRYPTO_ERASE
}
