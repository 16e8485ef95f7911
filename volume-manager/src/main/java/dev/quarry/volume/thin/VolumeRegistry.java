package dev.quarry.volume.thin;

import dev.quarry.block.VolumeEvent;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SystemKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.Sequences;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.pool.PoolRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin volumes: definitions in RocksDB, one {@link ThinVolume} each, creation, growth and
 * deletion (releasing each mapped chunk and kept version in batches that also record progress,
 * so an interrupted deletion resumes after a restart, then one deleteRange over the volume's
 * block map). A volume with snapshots is not deleted; a clone being copied is listed but cannot
 * be opened.
 *
 * <p>Thread-safe. Admin methods block.
 */
public final class VolumeRegistry implements VolumeService {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRegistry.class);
    private static final int RELEASE_BATCH = 4096;

    private final MetadataStore store;
    private final Runnable chunksListed;
    private final Sequences sequences;
    private final PoolRegistry pools;
    private final VolumeContext context;
    private final VolumeSnapshots snapshots;
    private final Map<String, ThinVolume> byName = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> mappedBlocks = new ConcurrentHashMap<>();

    /**
     * {@code chunksListed} is told after a deletion listed the volume's chunks in
     * {@code pendingfree} (the collector then walks that list).
     */
    public VolumeRegistry(MetadataStore store, PoolRegistry pools, VolumeContext context, VolumeSnapshots snapshots,
                          Runnable chunksListed) {
        this.store = store;
        this.chunksListed = chunksListed;
        this.sequences = new Sequences(store);
        this.pools = pools;
        this.context = context;
        this.snapshots = snapshots;
    }

    /** The shared services of the volumes (for the snapshot layer). */
    public VolumeContext context() {
        return context;
    }

    /** Loads every volume; finishes deletions a crash interrupted. */
    public void recover() {
        try (Cursor c = store.cursor(Schema.VOLUME, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                VolumeRecord record = ValueCodecs.VOLUME.decode(c.value());
                if (record.state() == VolumeState.DELETING) {
                    release(record);
                } else {
                    attach(record);
                }
            }
        }
        try (Cursor c = store.cursor(Schema.VOLUME_USAGE, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                mappedBlocks.computeIfAbsent(IdKey.CODEC.decode(c.key()).id(), k -> new AtomicLong())
                        .addAndGet(Counters.decode(c.value()));
            }
        }
    }

    @Override
    public synchronized VolumeRecord createVolume(VolumeSpec spec) {
        ThinVolume existing = byName.get(spec.name());
        Pool pool = pools.require(spec.pool());
        if (existing != null) {
            if (existing.record().origin() != null) {
                throw new IllegalStateException("volume " + spec.name() + " exists as a clone of " + existing.record().origin().label());
            }
            VolumeRecord r = existing.record();
            if (r.sizeBytes() != spec.sizeBytes() || r.poolId() != pool.id() || r.tier() != spec.tier()) {
                throw new IllegalStateException("volume " + spec.name() + " exists with other settings");
            }
            return r;
        }
        int id = (int) sequences.next(SystemKey.NEXT_VOLUME_ID, 1);
        VolumeRecord record = new VolumeRecord(id, UUID.randomUUID(), spec.name(), spec.sizeBytes(), pool.id(), spec.tier(),
                System.currentTimeMillis(), VolumeState.ACTIVE, 0, 0, null);
        write(record);
        attach(record);
        return record;
    }

    /**
     * Creates the definition of a clone of {@code sizeBytes} (its snapshot's size) in {@code source}'s
     * pool, in state CLONING (listed, not openable); the snapshot layer copies its map and then
     * calls {@link #cloneCompleted}. The same clone again returns it; another volume of that name
     * is refused.
     */
    public synchronized VolumeRecord createClone(String name, long sizeBytes, VolumeRecord source, CloneOrigin origin) {
        ThinVolume existing = byName.get(name);
        if (existing != null) {
            if (!origin.equals(existing.record().origin())) {
                throw new IllegalStateException("volume " + name + " exists and is not a clone of " + origin.label());
            }
            return existing.record();
        }
        int id = (int) sequences.next(SystemKey.NEXT_VOLUME_ID, 1);
        VolumeRecord record = new VolumeRecord(id, UUID.randomUUID(), name, sizeBytes, source.poolId(), source.tier(),
                System.currentTimeMillis(), VolumeState.CLONING, 0, 0, origin);
        write(record);
        attach(record);
        return record;
    }

    /** The clone's map is complete: it becomes ACTIVE and can be opened. */
    public synchronized VolumeRecord cloneCompleted(String name) {
        ThinVolume volume = handle(name);
        VolumeRecord active = volume.record().active();
        write(active);
        volume.retained(active, volume.retention());
        return active;
    }

    /** Whether any volume (deleting ones included) takes its chunks from pool {@code poolId}. */
    public synchronized boolean usesPool(int poolId) {
        if (byName.values().stream().anyMatch(v -> v.record().poolId() == poolId)) {
            return true;
        }
        try (Cursor c = store.cursor(Schema.VOLUME, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                if (ValueCodecs.VOLUME.decode(c.value()).poolId() == poolId) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The volume with id {@code id}, if it exists (deleting ones excepted). */
    public Optional<VolumeRecord> volumeById(int id) {
        return byName.values().stream().map(ThinVolume::record).filter(r -> r.id() == id).findFirst();
    }

    /**
     * The current handle of a volume whatever its state (the snapshot layer's barriers): a handle
     * its user closed is replaced like {@link #open} does. {@link NoSuchElementException}
     * when there is no such volume.
     */
    public synchronized ThinVolume handle(String name) {
        ThinVolume volume = byName.get(name);
        if (volume == null) {
            throw new NoSuchElementException("no volume named " + name);
        }
        if (volume.closed()) {
            volume.quiesce().orTimeout(60, TimeUnit.SECONDS).join();
            volume = volume.reopened();
            byName.put(name, volume);
        }
        return volume;
    }

    @Override
    public List<VolumeRecord> listVolumes() {
        return byName.values().stream().map(ThinVolume::record).sorted(Comparator.comparing(VolumeRecord::name)).toList();
    }

    @Override
    public Optional<VolumeRecord> volume(String name) {
        return Optional.ofNullable(byName.get(name)).map(ThinVolume::record);
    }

    /** The open handle; a handle its user closed is replaced (after its last operation finished). */
    @Override
    public synchronized ThinVolume open(String name) {
        if (!byName.containsKey(name)) {
            throw new NoSuchElementException("no volume named " + name);
        }
        ThinVolume volume = handle(name);
        if (volume.record().state() == VolumeState.CLONING) {
            throw new IllegalStateException("volume " + name + " is still being cloned from " + volume.record().origin().label());
        }
        return volume;
    }

    @Override
    public synchronized VolumeRecord grow(String name, long newSizeBytes) {
        ThinVolume volume = open(name);
        VolumeRecord current = volume.record();
        if (newSizeBytes < current.sizeBytes() || newSizeBytes % Blocks.BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("a volume grows to a larger multiple of 4096; " + newSizeBytes + " is not");
        }
        if (newSizeBytes == current.sizeBytes()) {
            return current;
        }
        VolumeRecord grown = current.withSize(newSizeBytes);
        write(grown);
        volume.resized(grown);
        return grown;
    }

    @Override
    public synchronized void deleteVolume(String name) {
        ThinVolume volume = byName.get(name);
        if (volume == null) {
            throw new NoSuchElementException("no volume named " + name);
        }
        int held = snapshots.count(volume.record().id());
        if (held > 0) {
            throw new IllegalStateException("volume " + name + " has " + held + " snapshot(s); delete them first");
        }
        volume.quiesce().orTimeout(60, TimeUnit.SECONDS).join();
        byName.remove(name);
        context.committer().flush().join();
        VolumeRecord deleting = volume.record().deleting(0);
        write(deleting);
        release(deleting);
    }

    @Override
    public VolumeStatistics statistics(String name) {
        ThinVolume volume = byName.get(name);
        if (volume == null) {
            throw new NoSuchElementException("no volume named " + name);
        }
        VolumeRecord record = volume.record();
        AtomicLong mapped = mappedBlocks.get(record.id());
        byte[] kept = store.getRaw(Schema.SNAPSHOT_USAGE, new IdKey(record.id()).encode());
        long keptBlocks = kept == null ? 0 : Counters.decode(kept);
        return new VolumeStatistics(name, record.sizeBytes(), (mapped == null ? 0 : mapped.get()) * Blocks.BLOCK_BYTES,
                snapshots.readable(record.id()), keptBlocks * Blocks.BLOCK_BYTES);
    }

    /** Adds committed mapped-block deltas (from the committer). */
    public void mappedDelta(int volumeId, long delta) {
        mappedBlocks.computeIfAbsent(volumeId, k -> new AtomicLong()).addAndGet(delta);
    }

    /** Tells every volume of {@code pool} that it crossed its soft threshold. */
    public void softThresholdReached(Pool pool) {
        for (ThinVolume v : byName.values()) {
            if (v.record().poolId() == pool.id()) {
                v.signal(VolumeEvent.SOFT_THRESHOLD_REACHED);
            }
        }
    }

    private void attach(VolumeRecord record) {
        Pool pool = pools.byId(record.poolId());
        if (pool == null) {
            LOG.error("volume {} names missing pool {}; not attached", record.name(), record.poolId());
            return;
        }
        byName.put(record.name(), new ThinVolume(record, context, () -> pool, snapshots.retentionOf(record)));
    }

    /**
     * Releases the chunks of a volume being deleted, from {@code releasedUpTo} on, each batch also
     * advancing {@code releasedUpTo}; then removes the whole map with one deleteRange.
     */
    private void release(VolumeRecord deleting) {
        VolumeRecord progress = deleting;
        byte[] end = BlockMapKey.volumeEnd(deleting.id());
        boolean more = true;
        while (more) {
            more = false;
            try (Batch batch = store.batch();
                 Cursor c = store.cursor(Schema.BLOCK_MAP, BlockMapKey.head(deleting.id(), progress.progress()), end)) {
                int n = 0;
                long last = progress.progress();
                for (; c.valid() && n < RELEASE_BATCH; c.next()) {
                    long chunk = ValueCodecs.MAP_VALUE.decode(c.value()).chunkId();
                    byte[] chunkKey = ChunkKey.encode(chunk);
                    batch.addRaw(Schema.REFCOUNT, chunkKey, -1);
                    batch.putRaw(Schema.PENDING_FREE, chunkKey, ValueCodecs.PENDING);
                    last = BlockMapKey.blockOf(c.key()) + 1;
                    n++;
                }
                if (n > 0) {
                    progress = progress.deleting(last);
                    batch.put(Schema.VOLUME, new IdKey(progress.id()), progress);
                    store.write(batch, true);
                    more = true;
                }
            }
        }
        try (Batch batch = store.batch()) {
            batch.deleteRange(Schema.BLOCK_MAP, BlockMapKey.volumeStart(deleting.id()), end);
            batch.delete(Schema.VOLUME, new IdKey(deleting.id()));
            batch.delete(Schema.VOLUME_USAGE, new IdKey(deleting.id()));
            batch.delete(Schema.SNAPSHOT_USAGE, new IdKey(deleting.id()));
            store.write(batch, true);
        }
        context.blockMap().cache().invalidateVolume(deleting.id());
        mappedBlocks.remove(deleting.id());
        chunksListed.run();
        LOG.info("volume {} deleted", deleting.name());
    }

    /** Writes a volume definition durably (the snapshot layer's epoch and clone progress too). */
    public void write(VolumeRecord record) {
        try (Batch batch = store.batch()) {
            batch.put(Schema.VOLUME, new IdKey(record.id()), record);
            store.write(batch, true);
        }
    }
}
