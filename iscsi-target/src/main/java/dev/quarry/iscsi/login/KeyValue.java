package dev.quarry.iscsi.login;

import java.util.Objects;

/**
 * One {@code key=value} pair of a text or login data segment (RFC 7143 §6.1).
 *
 * <p>Immutable and thread-safe.
 */
public record KeyValue(String key, String value) {

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return key.startsWith("CHAP_") && !key.equals(TextKey.CHAP_A) && !key.equals(TextKey.CHAP_N)
                ? key + "=<" + value.length() + " chars>" : key + "=" + value;
    }
}
