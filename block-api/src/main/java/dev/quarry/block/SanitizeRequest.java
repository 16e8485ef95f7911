package dev.quarry.block;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a sanitize must do: the method, and for {@link SanitizeMethod#OVERWRITE} the pattern (one
 * logical block, the host's initialization pattern repeated), the number of passes and whether
 * passes alternate with the pattern's inversion.
 *
 * <p>Immutable and thread-safe (the pattern is copied in and out).
 *
 * @param method how to sanitize
 * @param pattern one block of the overwrite pattern; empty for the other methods
 * @param passes overwrite passes, 1..31; 1 for the other methods
 * @param invert whether overwrite passes alternate between the pattern and its inversion
 */
public record SanitizeRequest(SanitizeMethod method, byte[] pattern, int passes, boolean invert) {

    public SanitizeRequest {
        Objects.requireNonNull(method, "method");
        pattern = pattern.clone();
        if (passes < 1 || passes > 31) {
            throw new IllegalArgumentException("passes must be 1..31: " + passes);
        }
        if (method == SanitizeMethod.OVERWRITE && pattern.length == 0) {
            throw new IllegalArgumentException("an overwrite needs a pattern");
        }
    }

    /** OVERWRITE with {@code block} (exactly one logical block), {@code passes} times. */
    public static SanitizeRequest overwrite(byte[] block, int passes, boolean invert) {
        return new SanitizeRequest(SanitizeMethod.OVERWRITE, block, passes, invert);
    }

    /** BLOCK ERASE. */
    public static SanitizeRequest blockErase() {
        return new SanitizeRequest(SanitizeMethod.BLOCK_ERASE, new byte[0], 1, false);
    }

    /** CRYPTO ERASE. */
    public static SanitizeRequest cryptoErase() {
        return new SanitizeRequest(SanitizeMethod.CRYPTO_ERASE, new byte[0], 1, false);
    }

    /**
     * The block written in pass {@code pass} (0-based) of an overwrite: with INVERT the passes
     * alternate so that the last one writes the pattern itself (SBC-4: an even OVERWRITE COUNT
     * starts with the inversion), which is what the volume then reads back.
     */
    public byte[] passPattern(int pass) {
        byte[] block = pattern.clone();
        if (invert && (passes - 1 - pass) % 2 == 1) {
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) ~block[i];
            }
        }
        return block;
    }

    /** The block every LBA reads after the sanitize: the pattern, or zeroes of {@code blockSize} bytes for an erase. */
    public byte[] finalBlock(int blockSize) {
        return method == SanitizeMethod.OVERWRITE ? pattern.clone() : new byte[blockSize];
    }

    @Override
    public byte[] pattern() {
        return pattern.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SanitizeRequest r && method == r.method && passes == r.passes && invert == r.invert
                && Arrays.equals(pattern, r.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, passes, invert, Arrays.hashCode(pattern));
    }

    @Override
    public String toString() {
        return method + (method == SanitizeMethod.OVERWRITE ? "(" + passes + " pass(es)" + (invert ? ", invert" : "") + ")" : "");
    }
}
