package dev.quarry.appliance.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quarry.appliance.config.ByteSize;
import java.util.Map;

/**
 * A size in a request body: a number of bytes, or a string with a human suffix ("100GiB",
 * "512MiB", "1TB"); always written back as a number of bytes.
 *
 * <p>Immutable and thread-safe.
 */
public record ByteCount(long bytes) {

    /** How the OpenAPI document describes it. */
    static final Map<String, Object> SCHEMA = Map.of("oneOf", java.util.List.of(
            Map.of("type", "integer", "format", "int64", "minimum", 0),
            Map.of("type", "string", "pattern", "^\\s*\\d+\\s*([KMGTPkmgtp]i?B?)?\\s*$")),
            "description", "Bytes, or a size with a binary (KiB, MiB, GiB, TiB) or decimal (KB, MB, GB, TB) suffix");

    public ByteCount {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ByteCount of(long bytes) {
        return new ByteCount(bytes);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ByteCount parse(String text) {
        return new ByteCount(ByteSize.parse(text));
    }

    @JsonValue
    public long value() {
        return bytes;
    }
}
