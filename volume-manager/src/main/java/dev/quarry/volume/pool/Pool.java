package dev.quarry.volume.pool;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.DiskStatistics;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.segment.OpenSegment;
import dev.quarry.volume.segment.SegmentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A pool of backend disks: spreads new chunk records across the writable disks of a tier, one
 * open segment per disk (so throughput grows with the number of disks), keeps the space
 * accounting, admits host records up to the hard limit and raises the soft threshold once per
 * crossing. Both thresholds count live bytes, never allocated segments: a host write that finds
 * no free segment while the limit still admits it waits in the {@link SpaceGate} for the
 * collector. Host writes and the cleaner append to separate open segments, and host writes leave
 * one free segment per writable disk to the cleaner so that cleaning can always make progress.
 *
 * <p>Thread-safe. {@link #allocate} may write a segment record to RocksDB: call it from a volume
 * or cleaner thread, never an event loop.
 */
public final class Pool {

    /** Who an allocation is for, which decides the limit it is held to. */
    public enum Purpose {
        /** New host data: admitted while live bytes stay within {@link #hardLimitBytes()}. */
        HOST,
        /**
         * Host data replacing mapped blocks (an overwrite): live bytes return to what they were
         * once the reaper frees the old chunks, so it is admitted up to {@link #ceilingBytes()},
         * beyond the hard limit; overwrites keep working in a full pool.
         */
        REPLACE,
        /** The cleaner relocating live chunks: may take the segments held back from host writes. */
        CLEANER
    }

    /** Segments per writable disk kept out of host use: the cleaner's reserve, its open segment, the host's open one. */
    private static final int HEADROOM_SEGMENTS_PER_DISK = 3;

    private final PoolRecord record;
    private final MetadataStore store;
    private final List<BackendDisk> disks = new CopyOnWriteArrayList<>();
    private final Map<Integer, OpenSegment> hostSegments = new ConcurrentHashMap<>();
    private final Map<Integer, OpenSegment> cleanerSegments = new ConcurrentHashMap<>();
    private final Map<SegmentKey, Long> unsettled = new ConcurrentHashMap<>();
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicInteger nextDisk = new AtomicInteger();
    private final LongSupplier enqueuedSequence;
    private final Runnable softThresholdReached;
    private final Runnable wakeCollector;
    private final SpaceGate gate;
    private boolean aboveSoft;

    /**
     * {@code wakeCollector} is run when a host segment is opened and when a writer starts to
     * wait, so that reclamation starts when free segments run low, not on the next tick.
     */
    public Pool(PoolRecord record, MetadataStore store, LongSupplier enqueuedSequence, Runnable softThresholdReached,
                Runnable wakeCollector) {
        this.record = record;
        this.store = store;
        this.enqueuedSequence = enqueuedSequence;
        this.softThresholdReached = softThresholdReached;
        this.wakeCollector = wakeCollector;
        this.gate = new SpaceGate(record.name(), enqueuedSequence);
    }

    public PoolRecord record() {
        return record;
    }

    public int id() {
        return record.id();
    }

    public List<BackendDisk> disks() {
        return List.copyOf(disks);
    }

    /**
     * Whether every disk of the pool writes locally ({@link dev.quarry.block.BlockDevice#localWrites()}),
     * so that cached writes to it may be acknowledged while their device write is under way.
     */
    public boolean localWrites() {
        for (BackendDisk d : disks) {
            if (!d.device().localWrites()) {
                return false;
            }
        }
        return true;
    }

    public void addDisk(BackendDisk disk) {
        disks.add(disk);
    }

    public void removeDisk(BackendDisk disk) {
        disks.remove(disk);
        hostSegments.remove(disk.id());
        cleanerSegments.remove(disk.id());
    }

    public BackendDisk disk(int diskId) {
        for (BackendDisk d : disks) {
            if (d.id() == diskId) {
                return d;
            }
        }
        return null;
    }

    /**
     * Reserves {@code recordBytes} of records in an open segment of a writable disk of
     * {@code tier} (any writable disk when that tier has none). For host purposes, null when
     * there is no room now (the records exceed the purpose's limit, or no segment is free beyond
     * the cleaner's reserve): the caller then waits in {@link #awaitSpace} and tries again. For
     * the cleaner, fails with SPACE_ALLOCATION_FAILED when no segment is free.
     */
    public Allocation allocate(TierClass tier, int recordBytes, Purpose purpose) {
        if (purpose != Purpose.CLEANER && exceedsLimit(recordBytes, purpose)) {
            wakeCollector.run();
            return null;
        }
        List<BackendDisk> candidates = candidates(tier);
        int start = Math.floorMod(nextDisk.getAndIncrement(), Math.max(1, candidates.size()));
        for (int i = 0; i < candidates.size(); i++) {
            BackendDisk disk = candidates.get((start + i) % candidates.size());
            Allocation allocation = allocateOn(disk, recordBytes, purpose);
            if (allocation != null) {
                usedBytes.addAndGet(recordBytes);
                checkSoftThreshold();
                return allocation;
            }
        }
        if (purpose == Purpose.CLEANER) {
            throw new BlockIoException(SenseCode.SPACE_ALLOCATION_FAILED, "pool " + record.name() + " has no free segment");
        }
        wakeCollector.run();
        return null;
    }

    /**
     * As {@link #allocate} for new host data, but never blocks: only the open segment of the disk
     * whose turn it is is tried (opening a segment writes RocksDB); null when it has none or it
     * is full, without using up the turn, so that {@link #allocate} opens one on that same disk,
     * and null beyond the hard limit.
     */
    public Allocation tryAllocate(TierClass tier, int recordBytes) {
        if (exceedsLimit(recordBytes, Purpose.HOST)) {
            return null;
        }
        List<BackendDisk> candidates = candidates(tier);
        if (candidates.isEmpty()) {
            return null;
        }
        int turn = nextDisk.get();
        BackendDisk disk = candidates.get(Math.floorMod(turn, candidates.size()));
        int padded = disk.roundUp(recordBytes);
        OpenSegment segment = hostSegments.get(disk.id());
        int offset = segment == null ? -1 : segment.reserve(padded);
        if (offset < 0) {
            return null;
        }
        nextDisk.incrementAndGet();
        usedBytes.addAndGet(recordBytes);
        checkSoftThreshold();
        return new Allocation(segment, offset, padded, recordBytes);
    }

    /** Gives back the used bytes of an allocation whose append failed. */
    public void unreserve(int liveBytes) {
        usedBytes.addAndGet(-liveBytes);
        checkSoftThreshold();
    }

    /** Live bytes were freed (reaper) or counted at recovery. */
    public void addUsed(long delta) {
        usedBytes.addAndGet(delta);
        checkSoftThreshold();
    }

    /** The append of {@code allocation} reached the committer (or failed). */
    public void appendDone(Allocation allocation) {
        OpenSegment segment = allocation.segment();
        if (segment.appendDone()) {
            settle(segment);
        }
    }

    /**
     * Whether a sealed segment may be cleaned: everything appended to it has been handed to the
     * committer, and the committer made it durable ({@code durable} is its durable sequence).
     */
    public boolean settled(int diskId, int segment, long durable) {
        if (isOpen(diskId, segment)) {
            return false;
        }
        Long at = unsettled.get(new SegmentKey(diskId, segment));
        return at == null || (at >= 0 && at <= durable);
    }

    /**
     * Returns a segment whose records were deleted to the free pool: forgets its settle mark
     * (before the segment can be reused), frees it on its disk, and lets waiting writers try again.
     */
    public void releaseSegment(BackendDisk disk, int segment) {
        unsettled.remove(new SegmentKey(disk.id(), segment));
        disk.releaseSegment(segment);
        gate.wakeAll();
    }

    /**
     * Waits, without holding a thread, until a write of {@code recordBytes} that found no room
     * should try {@link #allocate} again (see {@link SpaceGate}); at most {@code timeoutNanos}.
     */
    public CompletableFuture<Void> awaitSpace(int recordBytes, Purpose purpose, long timeoutNanos) {
        CompletableFuture<Void> wait = gate.await(recordBytes, purpose, timeoutNanos);
        wakeCollector.run();
        return wait;
    }

    /** Writers waiting for space now. */
    public int waitingWriters() {
        return gate.waiting();
    }

    /** The collector starts a pass, everything up to {@code durableSequence} committed (see {@link SpaceGate}). */
    public void collectionStarting(long durableSequence) {
        gate.passStarting(durableSequence);
    }

    /**
     * The collector finished a pass: waiting writers whose records still exceed their limit fail
     * with SPACE_ALLOCATION_FAILED when {@code reaperCaughtUp}; the others try again.
     */
    public void collectionEnded(boolean reaperCaughtUp) {
        gate.passEnded(reaperCaughtUp, this::exceedsLimit);
    }

    /** Whether {@code recordBytes} more live bytes exceed the limit of {@code purpose}. */
    public boolean exceedsLimit(int recordBytes, Purpose purpose) {
        long limit = purpose == Purpose.HOST ? hardLimitBytes() : ceilingBytes();
        return usedBytes.get() + recordBytes > limit;
    }

    public boolean isOpen(int diskId, int segment) {
        OpenSegment host = hostSegments.get(diskId);
        OpenSegment gc = cleanerSegments.get(diskId);
        return host != null && host.segment() == segment || gc != null && gc.segment() == segment;
    }

    /** Seals the open segments of a disk (before it drains or when it failed). */
    public void sealOpenSegments(int diskId) {
        for (Map<Integer, OpenSegment> open : List.of(hostSegments, cleanerSegments)) {
            OpenSegment segment = open.remove(diskId);
            if (segment != null) {
                seal(segment);
            }
        }
    }

    public long capacityBytes() {
        long bytes = 0;
        for (BackendDisk d : disks) {
            if (d.state() != DiskState.FAILED) {
                bytes += d.capacityBytes();
            }
        }
        return bytes;
    }

    public long usedBytes() {
        return usedBytes.get();
    }

    /**
     * Live bytes up to which new host data is admitted: the pool's hard-limit percentage of its
     * capacity, but never more than {@link #ceilingBytes()}.
     */
    public long hardLimitBytes() {
        return Math.min(capacityBytes() * record.hardLimitPercent() / 100, ceilingBytes());
    }

    /**
     * Live bytes up to which overwrites are admitted: the capacity less the headroom the cleaner
     * needs to always make progress (per writable disk: its reserve segment, its open segment and
     * the host's partly filled open segment, plus one segment).
     */
    public long ceilingBytes() {
        long headroom = ((long) HEADROOM_SEGMENTS_PER_DISK * reserveSegments() + 1) * record.segmentSize();
        return Math.max(0, capacityBytes() - headroom);
    }

    public long softThresholdBytes() {
        return capacityBytes() * record.softThresholdPercent() / 100;
    }

    public int freeSegments() {
        int free = 0;
        for (BackendDisk d : disks) {
            free += d.freeSegments();
        }
        return free;
    }

    public PoolStatistics statistics() {
        long physical = 0;
        List<DiskStatistics> perDisk = new ArrayList<>();
        for (BackendDisk d : disks) {
            perDisk.add(d.statistics());
            physical += (long) (d.record().segmentCount() - d.freeSegments()) * d.record().segmentSize();
        }
        return new PoolStatistics(record.id(), capacityBytes(), usedBytes.get(), physical, freeSegments(),
                softThresholdBytes(), hardLimitBytes(), perDisk);
    }

    private List<BackendDisk> candidates(TierClass tier) {
        List<BackendDisk> ofTier = new ArrayList<>();
        List<BackendDisk> any = new ArrayList<>();
        for (BackendDisk d : disks) {
            if (d.writable()) {
                any.add(d);
                if (d.record().tier() == tier) {
                    ofTier.add(d);
                }
            }
        }
        return ofTier.isEmpty() ? any : ofTier;
    }

    private Allocation allocateOn(BackendDisk disk, int recordBytes, Purpose purpose) {
        int padded = disk.roundUp(recordBytes);
        if (padded > disk.record().segmentSize()) {
            throw new IllegalArgumentException("append of " + padded + " bytes exceeds a segment");
        }
        Map<Integer, OpenSegment> open = purpose == Purpose.CLEANER ? cleanerSegments : hostSegments;
        synchronized (open) {
            OpenSegment segment = open.get(disk.id());
            int offset = segment == null ? -1 : segment.reserve(padded);
            if (offset >= 0) {
                return new Allocation(segment, offset, padded, recordBytes);
            }
            if (purpose != Purpose.CLEANER && freeSegments() <= reserveSegments()) {
                return null;
            }
            int index = disk.allocateSegment();
            if (index < 0) {
                return null;
            }
            OpenSegment fresh = new OpenSegment(disk, index, disk.record().segmentSize());
            persist(disk.id(), index, SegmentState.OPEN);
            OpenSegment previous = open.put(disk.id(), fresh);
            if (previous != null) {
                seal(previous);
            }
            if (purpose != Purpose.CLEANER) {
                wakeCollector.run();
            }
            return new Allocation(fresh, fresh.reserve(padded), padded, recordBytes);
        }
    }

    /** Free segments host writes leave to the cleaner: one per writable disk. */
    private int reserveSegments() {
        int writable = 0;
        for (BackendDisk d : disks) {
            if (d.writable()) {
                writable++;
            }
        }
        return Math.max(1, writable);
    }

    private void seal(OpenSegment segment) {
        unsettled.put(new SegmentKey(segment.disk().id(), segment.segment()), -1L);
        persist(segment.disk().id(), segment.segment(), SegmentState.SEALED);
        if (segment.seal()) {
            settle(segment);
        }
    }

    private void settle(OpenSegment segment) {
        unsettled.put(new SegmentKey(segment.disk().id(), segment.segment()), enqueuedSequence.getAsLong());
    }

    /**
     * Writes a segment's state without sync: the WAL is ordered, so the synced commit of any batch
     * that maps a chunk in the segment makes this record durable first.
     */
    private void persist(int diskId, int segment, SegmentState state) {
        try (Batch batch = store.batch()) {
            batch.put(Schema.SEGMENT, new SegmentKey(diskId, segment), state);
            store.write(batch, false);
        }
    }

    private void checkSoftThreshold() {
        boolean fire = false;
        synchronized (this) {
            boolean above = usedBytes.get() >= softThresholdBytes() && capacityBytes() > 0;
            if (above && !aboveSoft) {
                fire = true;
            }
            aboveSoft = above;
        }
        if (fire) {
            softThresholdReached.run();
        }
    }
}
