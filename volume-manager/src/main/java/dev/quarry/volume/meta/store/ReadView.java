package dev.quarry.volume.meta.store;

import dev.quarry.volume.meta.schema.ColumnFamilyDefinition;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * A consistent point-in-time view of every column family (a RocksDB snapshot), for checks that
 * read several families and must see them as of one moment (fsck). Must be closed.
 *
 * <p>Thread-safe for reads; close once.
 */
public final class ReadView implements AutoCloseable {

    private final MetadataStore store;
    private final Snapshot snapshot;
    private final ReadOptions options;
    private boolean closed;

    ReadView(MetadataStore store, Snapshot snapshot) {
        this.store = store;
        this.snapshot = snapshot;
        this.options = new ReadOptions().setSnapshot(snapshot);
    }

    public <K, V> V get(ColumnFamilyDefinition<K, V> family, K key) {
        byte[] raw = getRaw(family, family.key(key));
        return raw == null ? null : family.values().decode(raw);
    }

    public byte[] getRaw(ColumnFamilyDefinition<?, ?> family, byte[] key) {
        try {
            return store.db().get(store.handle(family), options, key);
        } catch (RocksDBException e) {
            throw store.failure(family, "snapshot get", e);
        }
    }

    /** A cursor over [from, to) as of the snapshot ({@code to} null: to the end). */
    public Cursor cursor(ColumnFamilyDefinition<?, ?> family, byte[] from, byte[] to) {
        return store.cursor(family, from, to, options);
    }

    /** Releases the snapshot; iterators made from it must be closed first. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.release(this, snapshot);
        options.close();
    }
}
