package dev.quarry.volume.meta.schema;

/**
 * One column family: its name, its key and value codecs, and how RocksDB is tuned for it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the column family name in RocksDB
 * @param keys the key codec
 * @param values the value codec
 * @param profile the tuning profile
 */
public record ColumnFamilyDefinition<K, V>(String name, Codec<K> keys, Codec<V> values, Profile profile) {

    /** How a column family is tuned (see {@code StoreOptions}). */
    public enum Profile {
        /** Small, rarely written definitions. */
        SMALL,
        /** The block map: the largest family, point lookups and per-volume prefix scans. */
        BLOCK_MAP,
        /** Large, point-looked-up records that always exist when looked up. */
        LOOKUP,
        /** Counters updated by the uint64add merge operator. */
        COUNTER
    }

    public byte[] key(K key) {
        return keys.encode(key);
    }

    public byte[] value(V value) {
        return values.encode(value);
    }
}
