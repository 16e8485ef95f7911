package dev.quarry.volume.meta.schema;

/**
 * Encodes one kind of key or value to the bytes RocksDB stores, and back. Each key record and
 * each value record has exactly one codec (STYLE B7).
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface Codec<T> {

    byte[] encode(T value);

    /** Decodes bytes written by {@link #encode}; throws {@link IllegalArgumentException} on a foreign layout. */
    T decode(byte[] bytes);
}
