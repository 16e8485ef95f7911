package dev.quarry.iscsi.login;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the key=value text of login and text PDUs (RFC 7143 §6.1): UTF-8 pairs, each
 * terminated by a NUL byte. Reading is strict: keys of at most 63 bytes from the RFC's key
 * alphabet, values of at most 255 bytes (CHAP_C/CHAP_R may be longer, as large binary values),
 * valid UTF-8, no key twice (RFC 7143 §6.2 forbids re-declaration).
 *
 * <p>Stateless and thread-safe.
 */
public final class TextCodec {

    /** RFC 7143 §6.1: key names are at most 63 bytes. */
    public static final int MAX_KEY_LENGTH = 63;
    /** RFC 7143 §6.1: values are at most 255 bytes, unless large binary values. */
    public static final int MAX_VALUE_LENGTH = 255;
    /** Large binary values (CHAP_C, CHAP_R): 1024 bytes as hex is 2050 characters; allow some slack. */
    public static final int MAX_BINARY_VALUE_LENGTH = 4096;

    private static final Set<String> BINARY_KEYS = Set.of(TextKey.CHAP_C, TextKey.CHAP_R);

    private TextCodec() {
    }

    /**
     * The pairs of {@code text}, in order.
     *
     * @throws TextFormatException when the text breaks RFC 7143 §6.1
     */
    public static Map<String, String> decode(byte[] text) throws TextFormatException {
        Map<String, String> pairs = new LinkedHashMap<>();
        int start = 0;
        while (start < text.length) {
            int end = indexOfNul(text, start);
            if (end < 0) {
                throw new TextFormatException("key=value pair not terminated by NUL at offset " + start);
            }
            if (end == start) {
                if (!onlyNulsFrom(text, start)) {
                    throw new TextFormatException("empty key=value pair at offset " + start);
                }
                break;
            }
            decodePair(text, start, end, pairs);
            start = end + 1;
        }
        return Collections.unmodifiableMap(pairs);
    }

    private static void decodePair(byte[] text, int start, int end, Map<String, String> pairs) throws TextFormatException {
        int equals = -1;
        for (int i = start; i < end; i++) {
            if (text[i] == '=') {
                equals = i;
                break;
            }
        }
        if (equals <= start) {
            throw new TextFormatException(equals < 0 ? "pair without '='" : "empty key");
        }
        if (equals - start > MAX_KEY_LENGTH) {
            throw new TextFormatException("key longer than " + MAX_KEY_LENGTH + " bytes");
        }
        String key = utf8(text, start, equals - start);
        if (!validKey(key)) {
            throw new TextFormatException("invalid key name");
        }
        int valueLength = end - equals - 1;
        int limit = BINARY_KEYS.contains(key) ? MAX_BINARY_VALUE_LENGTH : MAX_VALUE_LENGTH;
        if (valueLength > limit) {
            throw new TextFormatException("value of " + key + " longer than " + limit + " bytes");
        }
        String value = utf8(text, equals + 1, valueLength);
        if (pairs.putIfAbsent(key, value) != null) {
            throw new TextFormatException("key " + key + " given twice");
        }
    }

    /** Writes {@code pairs} to {@code out} (borrowed), each followed by a NUL. */
    public static void encode(List<KeyValue> pairs, ByteBuf out) {
        for (KeyValue pair : pairs) {
            out.writeCharSequence(pair.key(), StandardCharsets.UTF_8);
            out.writeByte('=');
            out.writeCharSequence(pair.value(), StandardCharsets.UTF_8);
            out.writeByte(0);
        }
    }

    /** The encoded length of {@code pairs}. */
    public static int encodedLength(List<KeyValue> pairs) {
        int length = 0;
        for (KeyValue pair : pairs) {
            length += pair.key().getBytes(StandardCharsets.UTF_8).length + pair.value().getBytes(StandardCharsets.UTF_8).length + 2;
        }
        return length;
    }

    /** The encoded bytes of {@code pairs}. */
    public static byte[] encode(List<KeyValue> pairs) {
        StringBuilder text = new StringBuilder();
        for (KeyValue pair : pairs) {
            text.append(pair.key()).append('=').append(pair.value()).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 7143 §6.1 key-name: letters, digits, '.', '-', '+', '@', '_'. */
    private static boolean validKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == '+' || c == '@' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] text, int offset, int length) throws TextFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TextFormatException("text is not valid UTF-8");
        }
    }

    private static int indexOfNul(byte[] text, int from) {
        for (int i = from; i < text.length; i++) {
            if (text[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean onlyNulsFrom(byte[] text, int from) {
        for (int i = from; i < text.length; i++) {
            if (text[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
