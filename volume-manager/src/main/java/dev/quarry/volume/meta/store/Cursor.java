package dev.quarry.volume.meta.store;

import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A forward iterator over the keys of one column family in [from, to), raw bytes. Must be closed;
 * the store closes any still open when it closes.
 *
 * <p>Not thread-safe: one thread at a time.
 */
public final class Cursor implements AutoCloseable {

    private final MetadataStore store;
    private final RocksIterator iterator;
    private final byte[] to;
    private boolean closed;

    Cursor(MetadataStore store, RocksIterator iterator, byte[] from, byte[] to) {
        this.store = store;
        this.iterator = iterator;
        this.to = to;
        iterator.seek(from);
    }

    /** Whether the cursor is on a key below the upper bound. */
    public boolean valid() {
        if (closed) {
            return false;
        }
        if (!iterator.isValid()) {
            try {
                iterator.status();
            } catch (RocksDBException e) {
                throw store.failure(null, "iterate", e);
            }
            return false;
        }
        return to == null || compare(iterator.key(), to) < 0;
    }

    public byte[] key() {
        return iterator.key();
    }

    public byte[] value() {
        return iterator.value();
    }

    public void next() {
        iterator.next();
    }

    /** Moves to the first key at or after {@code key}. */
    public void seek(byte[] key) {
        iterator.seek(key);
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.forget(this);
            iterator.close();
        }
    }

    /** Closes the native iterator when the store closes first. */
    void closeNative() {
        if (!closed) {
            closed = true;
            iterator.close();
        }
    }
}
