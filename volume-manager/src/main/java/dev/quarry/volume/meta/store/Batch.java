package dev.quarry.volume.meta.store;

import dev.quarry.volume.meta.schema.ColumnFamilyDefinition;
import dev.quarry.volume.meta.schema.Counters;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One logical mutation across column families, written atomically by
 * {@link MetadataStore#write(Batch, boolean)} (STYLE B7: one mutation, one WriteBatch).
 *
 * <p>Not thread-safe: built by one thread, then written and closed.
 */
public final class Batch implements AutoCloseable {

    private final MetadataStore store;
    private final WriteBatch batch = new WriteBatch();

    Batch(MetadataStore store) {
        this.store = store;
    }

    public <K, V> Batch put(ColumnFamilyDefinition<K, V> family, K key, V value) {
        return putRaw(family, family.key(key), family.value(value));
    }

    public Batch putRaw(ColumnFamilyDefinition<?, ?> family, byte[] key, byte[] value) {
        try {
            batch.put(store.handle(family), key, value);
        } catch (RocksDBException e) {
            throw store.failure(family, "batch put", e);
        }
        return this;
    }

    /** Adds {@code delta} (negative to subtract) to a counter family's entry. */
    public <K> Batch add(ColumnFamilyDefinition<K, Long> family, K key, long delta) {
        return addRaw(family, family.key(key), delta);
    }

    public Batch addRaw(ColumnFamilyDefinition<?, Long> family, byte[] key, long delta) {
        try {
            batch.merge(store.handle(family), key, Counters.delta(delta));
        } catch (RocksDBException e) {
            throw store.failure(family, "batch merge", e);
        }
        return this;
    }

    public <K> Batch delete(ColumnFamilyDefinition<K, ?> family, K key) {
        return deleteRaw(family, family.key(key));
    }

    public Batch deleteRaw(ColumnFamilyDefinition<?, ?> family, byte[] key) {
        try {
            batch.delete(store.handle(family), key);
        } catch (RocksDBException e) {
            throw store.failure(family, "batch delete", e);
        }
        return this;
    }

    /** Deletes keys in [from, to). */
    public Batch deleteRange(ColumnFamilyDefinition<?, ?> family, byte[] from, byte[] to) {
        try {
            batch.deleteRange(store.handle(family), from, to);
        } catch (RocksDBException e) {
            throw store.failure(family, "batch deleteRange", e);
        }
        return this;
    }

    public int count() {
        return batch.count();
    }

    WriteBatch writeBatch() {
        return batch;
    }

    @Override
    public void close() {
        batch.close();
    }
}
