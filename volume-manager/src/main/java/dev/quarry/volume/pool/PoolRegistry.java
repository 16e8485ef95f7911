package dev.quarry.volume.pool;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.disk.DiskHealth;
import dev.quarry.volume.disk.DiskLabel;
import dev.quarry.volume.disk.DiskOpener;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.MissingDevice;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.SystemKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.Sequences;
import dev.quarry.volume.segment.SegmentState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools and their disks: creates and recovers them from RocksDB, labels disks and recognises
 * them by their labels on restart, adds disks while I/O runs, drains and removes them, and marks
 * a disk FAILED (durably) when it returns I/O errors.
 *
 * <p>Thread-safe. Admin methods block; {@link #failed} returns promptly.
 */
public final class PoolRegistry implements PoolService, PoolDirectory, DiskHealth, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolRegistry.class);

    private final MetadataStore store;
    private final Sequences sequences;
    private final List<DiskOpener> openers;
    private final LongSupplier enqueuedSequence;
    private final Consumer<Pool> softThresholdReached;
    private final Runnable wakeCollector;
    private final Map<String, Pool> byName = new ConcurrentHashMap<>();
    private final Map<Integer, Pool> byDisk = new ConcurrentHashMap<>();
    private volatile Drainer drainer;
    private volatile IntPredicate poolInUse = id -> true;
    private final Map<Integer, Job> drains = new ConcurrentHashMap<>();

    /** {@code wakeCollector}: starts a garbage-collection pass soon (pools call it when space runs low). */
    public PoolRegistry(MetadataStore store, List<DiskOpener> openers, LongSupplier enqueuedSequence,
                        Consumer<Pool> softThresholdReached, Runnable wakeCollector) {
        this.store = store;
        this.sequences = new Sequences(store);
        this.openers = List.copyOf(openers);
        this.enqueuedSequence = enqueuedSequence;
        this.softThresholdReached = softThresholdReached;
        this.wakeCollector = wakeCollector;
    }

    /** Loads pools, reopens and verifies their disks, seals segments left open, recounts space. */
    public void recover() {
        try (Cursor c = store.cursor(Schema.POOL, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                open(ValueCodecs.POOL.decode(c.value()));
            }
        }
        try (Cursor c = store.cursor(Schema.DISK, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                reopen(ValueCodecs.DISK.decode(c.value()));
            }
        }
        recoverSegments();
    }

    /** Tells the registry how to learn whether volumes use a pool (asked under the volumes' lock). */
    public void usedBy(IntPredicate volumesInPool) {
        this.poolInUse = volumesInPool;
    }

    /** Restarts the drains of disks that were being removed, once the collector runs. */
    public void resumeDrains(Drainer collector) {
        this.drainer = collector;
        for (Pool pool : byName.values()) {
            for (BackendDisk disk : pool.disks()) {
                if (disk.record().state() == DiskState.DRAINING) {
                    startDrain(pool, disk);
                }
            }
        }
    }

    @Override
    public synchronized PoolRecord createPool(PoolSpec spec) {
        Pool existing = byName.get(spec.name());
        if (existing != null) {
            PoolRecord r = existing.record();
            if (r.segmentSize() != spec.segmentSize() || r.softThresholdPercent() != spec.softThresholdPercent()
                    || r.hardLimitPercent() != spec.hardLimitPercent() || r.defaultTier() != spec.defaultTier()) {
                throw new IllegalStateException("pool " + spec.name() + " exists with other settings");
            }
            return r;
        }
        int id = (int) sequences.next(SystemKey.NEXT_POOL_ID, 1);
        PoolRecord record = new PoolRecord(id, UUID.randomUUID(), spec.name(), spec.segmentSize(),
                spec.softThresholdPercent(), spec.hardLimitPercent(), spec.defaultTier(), System.currentTimeMillis());
        try (Batch batch = store.batch()) {
            batch.put(Schema.POOL, new IdKey(id), record);
            store.write(batch, true);
        }
        open(record);
        return record;
    }

    @Override
    public List<PoolRecord> listPools() {
        return byName.values().stream().map(Pool::record).sorted(Comparator.comparing(PoolRecord::name)).toList();
    }

    @Override
    public Optional<PoolRecord> pool(String name) {
        return Optional.ofNullable(byName.get(name)).map(Pool::record);
    }

    /** The open pool named {@code name}. */
    public Pool require(String name) {
        Pool pool = byName.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("no pool named " + name);
        }
        return pool;
    }

    /** The open pool with id {@code id}, or null. */
    public Pool byId(int id) {
        for (Pool p : byName.values()) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    @Override
    public DiskRecord addDisk(String pool, DiskSpec spec) {
        BlockDevice device;
        try {
            device = openDevice(spec.locator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + spec.locator(), e);
        }
        return addDisk(pool, spec, device);
    }

    @Override
    public synchronized DiskRecord addDisk(String poolName, DiskSpec spec, BlockDevice device) {
        Pool pool = require(poolName);
        DiskLabel label = readLabel(device);
        if (label != null) {
            BackendDisk known = findDisk(label.diskId());
            boolean ours = label.poolUuid().equals(pool.record().uuid());
            if (known != null && known.record().uuid().equals(label.diskUuid()) && ours) {
                device.close();
                return known.record();
            }
            if (!ours || known != null) {
                device.close();
                throw new IllegalStateException(spec.locator() + " carries the label of another pool or disk");
            }
            LOG.info("{} carries a label of pool {} but no disk record (an interrupted add); labelling it again",
                    spec.locator(), poolName);
        }
        int segmentSize = pool.record().segmentSize();
        int segments = DiskLabel.segmentsFor((long) device.blockCount() * device.blockSize(), segmentSize);
        if (segments < 2) {
            device.close();
            throw new IllegalArgumentException(spec.locator() + " is too small for two segments of " + segmentSize + " bytes");
        }
        int id = (int) sequences.next(SystemKey.NEXT_DISK_ID, 1);
        if (id > 0xFFFF) {
            device.close();
            throw new IllegalStateException("disk ids exhausted");
        }
        DiskRecord record = new DiskRecord(id, UUID.randomUUID(), pool.id(), spec.locator(), spec.tier(), spec.failureDomain(),
                DiskState.ONLINE, segmentSize, segments);
        writeLabel(device, new DiskLabel(id, pool.record().uuid(), record.uuid(), spec.tier(), segmentSize, segments));
        try (Batch batch = store.batch()) {
            batch.put(Schema.DISK, new IdKey(id), record);
            store.write(batch, true);
        }
        BackendDisk disk = new BackendDisk(record, device);
        byDisk.put(id, pool);
        pool.addDisk(disk);
        LOG.info("disk {} ({}) joined pool {} with {} segments", id, spec.locator(), poolName, segments);
        return record;
    }

    @Override
    public synchronized Job removeDisk(String poolName, int diskId) {
        Pool pool = require(poolName);
        BackendDisk disk = pool.disk(diskId);
        if (disk == null) {
            throw new IllegalArgumentException("pool " + poolName + " has no disk " + diskId);
        }
        Job running = drains.get(diskId);
        if (running != null && running.state() == Job.State.RUNNING) {
            return running;
        }
        if (disk.record().state() != DiskState.DRAINING) {
            persist(disk, disk.record().withState(DiskState.DRAINING));
        }
        pool.sealOpenSegments(diskId);
        return startDrain(pool, disk);
    }

    @Override
    public void deletePool(String name) {
        Pool pool;
        synchronized (this) {
            pool = require(name);
            // Out of the name table first, so no volume can be created in it while we check.
            byName.remove(name);
        }
        try {
            if (poolInUse.test(pool.id())) {
                throw new IllegalStateException("pool " + name + " still has volumes; delete them first");
            }
            Drainer d = drainer;
            if (d == null) {
                throw new IllegalStateException("the collector is not running");
            }
            d.submit(() -> {
                erase(pool);
                return null;
            }).orTimeout(5, TimeUnit.MINUTES).join();
        } catch (RuntimeException e) {
            synchronized (this) {
                byName.put(name, pool);
            }
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        LOG.info("pool {} deleted", name);
    }

    /** Removes an unused pool's records and releases its disks; on the collector thread. */
    private void erase(Pool pool) {
        if (pool.usedBytes() > 0) {
            wakeCollector.run();
            throw new IllegalStateException("pool " + pool.record().name() + " still holds " + pool.usedBytes()
                    + " bytes of deleted volumes being reclaimed; retry shortly");
        }
        try (Batch batch = store.batch()) {
            for (BackendDisk disk : pool.disks()) {
                batch.deleteRange(Schema.SEGMENT, SegmentKey.diskStart(disk.id()), SegmentKey.diskEnd(disk.id()));
                batch.deleteRange(Schema.SEGMENT_LIVE, SegmentKey.diskStart(disk.id()), SegmentKey.diskEnd(disk.id()));
                batch.delete(Schema.DISK, new IdKey(disk.id()));
            }
            batch.delete(Schema.POOL, new IdKey(pool.id()));
            store.write(batch, true);
        }
        for (BackendDisk disk : pool.disks()) {
            pool.removeDisk(disk);
            byDisk.remove(disk.id());
            eraseLabel(disk);
        }
    }

    @Override
    public List<DiskRecord> disks(String pool) {
        return require(pool).disks().stream().map(BackendDisk::record).sorted(Comparator.comparingInt(DiskRecord::id)).toList();
    }

    @Override
    public PoolStatistics statistics(String pool) {
        return require(pool).statistics();
    }

    @Override
    public Collection<Pool> pools() {
        return List.copyOf(byName.values());
    }

    @Override
    public Pool poolOfDisk(int diskId) {
        return byDisk.get(diskId);
    }

    /** The disk with {@code diskId} in any pool, or null. */
    public BackendDisk findDisk(int diskId) {
        Pool pool = byDisk.get(diskId);
        return pool == null ? null : pool.disk(diskId);
    }

    /** A disk returned an I/O error: no new chunks go there; its record says FAILED. */
    @Override
    public void failed(BackendDisk disk, Throwable cause) {
        synchronized (disk) {
            if (disk.record().state() != DiskState.ONLINE) {
                return;
            }
            LOG.error("disk {} ({}) failed; new chunks go to the other disks", disk.id(), disk.record().locator(), cause);
            DiskRecord failed = disk.record().withState(DiskState.FAILED);
            disk.record(failed);
            try {
                persist(disk, failed);
            } catch (RuntimeException e) {
                LOG.error("could not record the failure of disk {}", disk.id(), e);
            }
        }
        Pool pool = byDisk.get(disk.id());
        if (pool != null) {
            pool.sealOpenSegments(disk.id());
        }
    }

    private Job startDrain(Pool pool, BackendDisk disk) {
        Drainer d = drainer;
        if (d == null) {
            throw new IllegalStateException("the collector is not running");
        }
        Job job = d.drain(pool, disk, () -> detach(pool, disk));
        drains.put(disk.id(), job);
        job.completion().whenComplete((ok, failure) -> drains.remove(disk.id(), job));
        return job;
    }

    /** The drains running now (those a restart resumed included). */
    public List<Job> runningDrains() {
        return drains.values().stream().filter(j -> j.state() == Job.State.RUNNING).toList();
    }

    /** Removes an emptied disk: record, label, pool membership, device. */
    private void detach(Pool pool, BackendDisk disk) {
        try (Batch batch = store.batch()) {
            batch.delete(Schema.DISK, new IdKey(disk.id()));
            store.write(batch, true);
        }
        pool.removeDisk(disk);
        byDisk.remove(disk.id());
        eraseLabel(disk);
        LOG.info("disk {} left pool {}", disk.id(), pool.record().name());
    }

    /** Zeroes a released disk's label (so it can join a pool again), then closes it. */
    private static void eraseLabel(BackendDisk disk) {
        ByteBuf blank = ByteBufAllocator.DEFAULT.directBuffer(DiskLabel.LENGTH).writeZero(DiskLabel.LENGTH);
        disk.device().write(0, blank, WriteOptions.FUA).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("could not erase the label of removed disk {}", disk.id(), failure);
            }
            disk.close();
        });
    }

    private void persist(BackendDisk disk, DiskRecord next) {
        try (Batch batch = store.batch()) {
            batch.put(Schema.DISK, new IdKey(next.id()), next);
            store.write(batch, true);
        }
        disk.record(next);
    }

    private Pool open(PoolRecord record) {
        Pool[] self = new Pool[1];
        Pool pool = new Pool(record, store, enqueuedSequence, () -> softThresholdReached.accept(self[0]), wakeCollector);
        self[0] = pool;
        byName.put(record.name(), pool);
        return pool;
    }

    private void reopen(DiskRecord record) {
        Pool pool = byId(record.poolId());
        if (pool == null) {
            LOG.error("disk {} names missing pool {}; ignored", record.id(), record.poolId());
            return;
        }
        BlockDevice device;
        DiskRecord effective = record;
        try {
            device = openDevice(record.locator());
            DiskLabel label = readLabel(device);
            if (label == null || !label.diskUuid().equals(record.uuid()) || !label.poolUuid().equals(pool.record().uuid())) {
                device.close();
                throw new IOException(record.locator() + " does not carry the label of disk " + record.id());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("disk {} of pool {} is unavailable; its chunks will report errors", record.id(), pool.record().name(), e);
            long blocks = DiskLabel.DATA_START / 512 + (long) record.segmentCount() * record.segmentSize() / 512;
            device = new MissingDevice(String.valueOf(e.getMessage()), blocks);
            effective = record.withState(DiskState.FAILED);
        }
        byDisk.put(record.id(), pool);
        pool.addDisk(new BackendDisk(effective, device));
    }

    private void recoverSegments() {
        try (Batch seal = store.batch()) {
            try (Cursor c = store.cursor(Schema.SEGMENT, new byte[0], null)) {
                for (; c.valid(); c.next()) {
                    SegmentKey key = SegmentKey.CODEC.decode(c.key());
                    BackendDisk disk = findDisk(key.diskId());
                    if (disk != null) {
                        disk.markAllocated(key.segment());
                    }
                    if (ValueCodecs.SEGMENT.decode(c.value()) == SegmentState.OPEN) {
                        seal.put(Schema.SEGMENT, key, SegmentState.SEALED);
                    }
                }
            }
            store.write(seal, true);
        }
        try (Cursor c = store.cursor(Schema.SEGMENT_LIVE, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                SegmentKey key = SegmentKey.CODEC.decode(c.key());
                long live = Counters.decode(c.value());
                Pool pool = byDisk.get(key.diskId());
                if (pool != null) {
                    pool.addUsed(live);
                    pool.disk(key.diskId()).addLive(live);
                }
            }
        }
    }

    private BlockDevice openDevice(String locator) throws IOException {
        for (DiskOpener opener : openers) {
            if (opener.handles(locator)) {
                return opener.open(locator);
            }
        }
        throw new IOException("no opener understands " + locator);
    }

    private static DiskLabel readLabel(BlockDevice device) {
        ByteBuf buf = device.read(0, DiskLabel.LENGTH / device.blockSize()).join();
        try {
            return DiskLabel.decode(buf);
        } finally {
            buf.release();
        }
    }

    private static void writeLabel(BlockDevice device, DiskLabel label) {
        device.write(0, label.encode(), WriteOptions.FUA).join();
        device.flush().join();
    }

    /** Closes every disk's device. */
    @Override
    public void close() {
        for (Pool pool : byName.values()) {
            for (BackendDisk disk : pool.disks()) {
                disk.close();
            }
        }
    }
}
