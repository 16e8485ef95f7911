package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Strict encodings of CHAP values (RFC 7143 §6.1): binary values as {@code 0x} hex (an even
 * number of digits) or {@code 0b} base64; numbers as decimal, {@code 0x} hex or {@code 0b}
 * base64. Anything else, including an empty value, is an initiator error (0x0200).
 *
 * <p>Stateless and thread-safe.
 */
final class ChapValues {

    /** RFC 7143 §12.1.3: CHAP_C and CHAP_R carry at most 1024 binary bytes. */
    static final int MAX_BINARY_LENGTH = 1024;

    private ChapValues() {
    }

    /** The bytes of a binary value of 1..{@link #MAX_BINARY_LENGTH} bytes. */
    static byte[] binary(String key, String value) throws LoginException {
        byte[] bytes = decode(key, value);
        if (bytes.length == 0 || bytes.length > MAX_BINARY_LENGTH) {
            throw malformed(key, "must hold 1.." + MAX_BINARY_LENGTH + " bytes, holds " + bytes.length);
        }
        return bytes;
    }

    /** A number in [0, max]. */
    static int number(String key, String value, int max) throws LoginException {
        long number;
        if (hasPrefix(value, 'x') || hasPrefix(value, 'b')) {
            byte[] bytes = decode(key, value);
            if (bytes.length == 0 || bytes.length > 4) {
                throw malformed(key, "number out of range");
            }
            number = 0;
            for (byte b : bytes) {
                number = number << 8 | (b & 0xFF);
            }
        } else {
            if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw malformed(key, "not a number");
            }
            number = Long.parseLong(value);
        }
        if (number > max) {
            throw malformed(key, "number out of range 0.." + max);
        }
        return (int) number;
    }

    /** {@code bytes} as a {@code 0x} hex value. */
    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static byte[] decode(String key, String value) throws LoginException {
        if (hasPrefix(value, 'x')) {
            String digits = value.substring(2);
            if (digits.isEmpty() || digits.length() % 2 != 0 || digits.length() > 2 * MAX_BINARY_LENGTH + 2) {
                throw malformed(key, "hex value needs an even, non-zero number of digits");
            }
            try {
                return HexFormat.of().parseHex(digits);
            } catch (IllegalArgumentException e) {
                throw malformed(key, "invalid hex digit");
            }
        }
        if (hasPrefix(value, 'b')) {
            String digits = value.substring(2);
            if (digits.isEmpty()) {
                throw malformed(key, "empty base64 value");
            }
            try {
                return Base64.getDecoder().decode(digits);
            } catch (IllegalArgumentException e) {
                throw malformed(key, "invalid base64");
            }
        }
        throw malformed(key, "binary value must start with 0x or 0b");
    }

    private static boolean hasPrefix(String value, char kind) {
        return value.length() >= 2 && value.charAt(0) == '0' && Character.toLowerCase(value.charAt(1)) == kind;
    }

    private static LoginException malformed(String key, String why) {
        return new LoginException(LoginStatus.INITIATOR_ERROR, "malformed " + key + ": " + why);
    }
}
