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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin volumes: definitions in RocksDB, one {@link ThinVolume} each, creation, growth and
 * deletion (releasing each mapped chunk in batches that also record progress, so an interrupted
 * deletion resumes after a restart, then one deleteRange over the volume's block map).
 *
 * <p>Thread-safe. Admin methods block.
 */
public final class VolumeRegistry implements VolumeService {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRegistry.class);
    private static final int RELEASE_BATCH = 4096;

    private final MetadataStore store;
    private final Sequences sequences;
    private final PoolRegistry pools;
    private final VolumeContext context;
    private final Map<String, ThinVolume> byName = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> mappedBlocks = new ConcurrentHashMap<>();

    public VolumeRegistry(MetadataStore store, PoolRegistry pools, VolumeContext context) {
        this.store = store;
        this.sequences = new Sequences(store);
        this.pools = pools;
        this.context = context;
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
            VolumeRecord r = existing.record();
            if (r.sizeBytes() != spec.sizeBytes() || r.poolId() != pool.id() || r.tier() != spec.tier()) {
                throw new IllegalStateException("volume " + spec.name() + " exists with other settings");
            }
            return r;
        }
        int id = (int) sequences.next(SystemKey.NEXT_VOLUME_ID, 1);
        VolumeRecord record = new VolumeRecord(id, UUID.randomUUID(), spec.name(), spec.sizeBytes(), pool.id(), spec.tier(),
                System.currentTimeMillis(), VolumeState.ACTIVE, 0);
        write(record);
        attach(record);
        return record;
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
        ThinVolume volume = byName.get(name);
        if (volume == null) {
            throw new IllegalArgumentException("no volume named " + name);
        }
        if (volume.closed()) {
            volume.quiesce().orTimeout(60, TimeUnit.SECONDS).join();
            volume = volume.reopened();
            byName.put(name, volume);
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
            throw new IllegalArgumentException("no volume named " + name);
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
            throw new IllegalArgumentException("no volume named " + name);
        }
        VolumeRecord record = volume.record();
        AtomicLong mapped = mappedBlocks.get(record.id());
        return new VolumeStatistics(name, record.sizeBytes(), (mapped == null ? 0 : mapped.get()) * Blocks.BLOCK_BYTES);
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
        byName.put(record.name(), new ThinVolume(record, context, () -> pool));
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
                 Cursor c = store.cursor(Schema.BLOCK_MAP, BlockMapKey.head(deleting.id(), progress.releasedUpTo()), end)) {
                int n = 0;
                long last = progress.releasedUpTo();
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
            store.write(batch, true);
        }
        context.blockMap().cache().invalidateVolume(deleting.id());
        mappedBlocks.remove(deleting.id());
        LOG.info("volume {} deleted", deleting.name());
    }

    private void write(VolumeRecord record) {
        try (Batch batch = store.batch()) {
            batch.put(Schema.VOLUME, new IdKey(record.id()), record);
            store.write(batch, true);
        }
    }
}
