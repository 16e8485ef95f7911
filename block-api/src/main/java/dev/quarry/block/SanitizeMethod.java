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
    /**
     * SBC-4's cryptographic erase: the user data becomes unrecoverable at once and reads succeed
     * afterwards. A volume that encrypts does it by replacing its key; one that does not may offer
     * it only by erasing the data itself as completely as {@link #BLOCK_ERASE} does.
     */
    CRYPTO_ERASE
}
