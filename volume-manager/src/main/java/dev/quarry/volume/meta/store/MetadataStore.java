package dev.quarry.volume.meta.store;

import dev.quarry.volume.meta.schema.ColumnFamilyDefinition;
import dev.quarry.volume.meta.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's one RocksDB instance with the column families of {@link Schema}. Owns every
 * native object it uses and closes them in a fixed order. Wraps every RocksDB failure in a
 * {@link MetadataStoreException}; an I/O error or corruption fails the store for good (STYLE B7).
 *
 * <p>Thread-safe. Every method blocks in JNI: call from platform threads, never an event loop.
 */
public final class MetadataStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

    private final Path directory;
    private final StoreOptions options;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<ColumnFamilyDefinition<?, ?>, ColumnFamilyHandle> byFamily = new IdentityHashMap<>();
    private final WriteOptions syncWrite;
    private final WriteOptions lazyWrite;
    private final ReadOptions reads;
    private final Set<Cursor> cursors = ConcurrentHashMap.newKeySet();
    private final Set<ReadView> views = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile boolean dbClosed;

    private MetadataStore(Path directory, StoreOptions options, RocksDB db, List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.options = options;
        this.db = db;
        this.handles = handles;
        for (int i = 0; i < Schema.ALL.size(); i++) {
            byFamily.put(Schema.ALL.get(i), handles.get(i + 1));
        }
        this.syncWrite = new WriteOptions().setSync(true);
        this.lazyWrite = new WriteOptions().setSync(false);
        this.reads = new ReadOptions();
    }

    /** Opens (creating when missing) the store in {@code directory}. Blocks; call at start-up. */
    public static MetadataStore open(Path directory, StoreConfig config) {
        RocksDB.loadLibrary();
        StoreOptions options = new StoreOptions(config);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY,
                options.familyOptions(ColumnFamilyDefinition.Profile.SMALL, config.writeBufferBytes())));
        for (ColumnFamilyDefinition<?, ?> family : Schema.ALL) {
            ColumnFamilyOptions familyOptions = options.familyOptions(family.profile(), config.writeBufferBytes());
            descriptors.add(new ColumnFamilyDescriptor(family.name().getBytes(StandardCharsets.UTF_8),
                    familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            RocksDB db = RocksDB.open(options.dbOptions(), directory.toString(), descriptors, handles);
            return new MetadataStore(directory, options, db, handles);
        } catch (RocksDBException | IOException e) {
            handles.forEach(ColumnFamilyHandle::close);
            options.close();
            throw new MetadataStoreException(directory.toString(), "*", "open", true, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** A new empty batch; write it with {@link #write} and close it. */
    public Batch batch() {
        return new Batch(this);
    }

    /** Writes {@code batch} atomically; with {@code sync} the WAL is fdatasync'ed before returning. */
    public void write(Batch batch, boolean sync) {
        checkOpen();
        try {
            db.write(sync ? syncWrite : lazyWrite, batch.writeBatch());
        } catch (RocksDBException e) {
            throw failure(null, "write", e);
        }
    }

    public <K, V> V get(ColumnFamilyDefinition<K, V> family, K key) {
        byte[] value = getRaw(family, family.key(key));
        return value == null ? null : family.values().decode(value);
    }

    public byte[] getRaw(ColumnFamilyDefinition<?, ?> family, byte[] key) {
        checkOpen();
        try {
            return db.get(handle(family), reads, key);
        } catch (RocksDBException e) {
            throw failure(family, "get", e);
        }
    }

    /** Values of {@code keys} in one MultiGet, null where absent. */
    public List<byte[]> multiGetRaw(ColumnFamilyDefinition<?, ?> family, List<byte[]> keys) {
        checkOpen();
        if (keys.isEmpty()) {
            return List.of();
        }
        List<ColumnFamilyHandle> families = new ArrayList<>(keys.size());
        ColumnFamilyHandle handle = handle(family);
        for (int i = 0; i < keys.size(); i++) {
            families.add(handle);
        }
        try {
            return db.multiGetAsList(reads, families, keys);
        } catch (RocksDBException e) {
            throw failure(family, "multiGet", e);
        }
    }

    /** A cursor over [from, to) ({@code to} null: to the end). */
    public Cursor cursor(ColumnFamilyDefinition<?, ?> family, byte[] from, byte[] to) {
        return cursor(family, from, to, reads);
    }

    Cursor cursor(ColumnFamilyDefinition<?, ?> family, byte[] from, byte[] to, ReadOptions options) {
        checkOpen();
        Cursor cursor = new Cursor(this, db.newIterator(handle(family), options), from, to);
        cursors.add(cursor);
        return cursor;
    }

    /** A consistent view of all families as of now; close it when done. */
    public synchronized ReadView view() {
        checkOpen();
        ReadView view = new ReadView(this, db.getSnapshot());
        views.add(view);
        return view;
    }

    RocksDB db() {
        return db;
    }

    synchronized void release(ReadView view, Snapshot snapshot) {
        if (views.remove(view) && !dbClosed) {
            db.releaseSnapshot(snapshot);
        }
    }

    /** A RocksDB integer property of a family, such as {@code rocksdb.total-sst-files-size}. */
    public long property(ColumnFamilyDefinition<?, ?> family, String name) {
        checkOpen();
        try {
            return db.getLongProperty(handle(family), name);
        } catch (RocksDBException e) {
            throw failure(family, "property " + name, e);
        }
    }

    /** A RocksDB text property of a family, such as {@code rocksdb.aggregated-table-properties}. */
    public String textProperty(ColumnFamilyDefinition<?, ?> family, String name) {
        checkOpen();
        try {
            return db.getProperty(handle(family), name);
        } catch (RocksDBException e) {
            throw failure(family, "property " + name, e);
        }
    }

    /** Flushes the memtables of {@code family} and compacts it fully. Blocks; for tests and tools. */
    public void compact(ColumnFamilyDefinition<?, ?> family) {
        checkOpen();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handle(family));
            db.compactRange(handle(family));
        } catch (RocksDBException e) {
            throw failure(family, "compact", e);
        }
    }

    /** Iterators and snapshots currently open; tests assert that none leak. */
    public int openResources() {
        return cursors.size() + views.size();
    }

    /** Whether the store failed (read-only or offline for good). */
    public boolean failed() {
        return failure != null;
    }

    ColumnFamilyHandle handle(ColumnFamilyDefinition<?, ?> family) {
        ColumnFamilyHandle handle = byFamily.get(family);
        if (handle == null) {
            throw new IllegalArgumentException("unknown column family " + family.name());
        }
        return handle;
    }

    void forget(Cursor cursor) {
        cursors.remove(cursor);
    }

    /** Wraps a RocksDB failure; I/O errors and corruption fail the whole store. */
    MetadataStoreException failure(ColumnFamilyDefinition<?, ?> family, String operation, RocksDBException e) {
        Status status = e.getStatus();
        Status.Code code = status == null ? Status.Code.IOError : status.getCode();
        boolean fatal = code == Status.Code.IOError || code == Status.Code.Corruption;
        if (fatal && failure == null) {
            failure = e;
            LOG.error("metadata store {} failed on {}; refusing further work", directory, operation, e);
        }
        return new MetadataStoreException(directory.toString(), family == null ? "*" : family.name(), operation, fatal, e);
    }

    private void checkOpen() {
        if (closed) {
            throw new MetadataStoreException(directory.toString(), "*", "use after close", false, null);
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new MetadataStoreException(directory.toString(), "*", "use of failed store", true, failed);
        }
    }

    /**
     * Closes in an order that must not change: open cursors and snapshots first (they pin the
     * database's versions), then the read/write options, then the column-family handles, then the database
     * (which syncs nothing further: every acknowledged batch was already written), and last the
     * options, cache and filters the database was built from. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cursors.forEach(Cursor::closeNative);
        cursors.clear();
        List.copyOf(views).forEach(ReadView::close);
        syncWrite.close();
        lazyWrite.close();
        reads.close();
        handles.forEach(ColumnFamilyHandle::close);
        dbClosed = true;
        db.close();
        options.close();
    }
}
