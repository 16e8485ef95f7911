package dev.quarry.volume.gc;

import dev.quarry.block.BlockIoException;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.pool.Drainer;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.pool.PoolDirectory;
import dev.quarry.volume.segment.SegmentState;
import dev.quarry.volume.segment.SegmentUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector's thread: each pass reaps released chunks (a bounded amount, so that
 * cleaning is never starved by a steady stream of overwrites) and frees at once the sealed
 * segments whose last chunk died, advances disk drains, then frees empty sealed segments and
 * cleans sparse ones with an urgency that rises as free segments fall ({@link CleaningPolicy}).
 * Pools wake it when they open a host segment or a writer waits for space, the committer after
 * each round that released chunks; it runs passes back to back while writers wait or free
 * segments are short, and tells the pools' waiting writers after each pass whether to try again
 * or that the pool is full. When nothing presses, a pass waits for ten times the duration of the
 * one before it, and the scan for sparse segments runs at most every
 * {@link GcConfig#intervalMillis()}, and not at all while nothing it depends on has moved since a
 * scan that found nothing to do. Only segments the committer has settled are touched, so
 * nothing still in the overlay moves.
 *
 * <p>Thread-safe entry points; the work itself is confined to its own platform thread.
 */
public final class Collector implements Drainer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final int REAP_BATCH = 4096;
    private static final int REAP_BATCHES_PER_PASS = 16;
    private static final long PRESSED_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /**
     * When nothing presses, a pass waits for at least this many times the duration of the pass
     * before it (at most {@link GcConfig#intervalMillis()}): every commit round that released
     * chunks wakes the collector (every 5 ms under a steady trickle of overwrites), and a pass has
     * costs that do not shrink with the work it finds (MultiGets of counters that are chains of
     * merge operands, docs/performance.md), so quiet collection stays below a tenth of a core.
     */
    private static final int QUIET_DUTY_FACTOR = 10;

    /**
     * How a pass went.
     *
     * @param progress chunks or segments were freed
     * @param pressing more work is urgent: the reaper is behind, writers wait, or free segments are short
     */
    private record Outcome(boolean progress, boolean pressing) {
        static final Outcome IDLE = new Outcome(false, false);
    }

    /**
     * What a pool's scan for segments to clean depends on: while none of it moves (no commit, no
     * reaping, no segment allocated or freed), a scan that found nothing would find nothing again.
     *
     * @param durable the committer's durable sequence
     * @param liveBytes live bytes over the pool's disks
     * @param freeSegments free segments over the pool's disks
     */
    private record ScanInputs(long durable, long liveBytes, int freeSegments) {
    }

    private final MetadataStore store;
    private final PoolDirectory pools;
    private final Reaper reaper;
    private final SegmentCleaner cleaner;
    private final GcConfig config;
    private final CleaningPolicy policy;
    private final LongSupplier durableSequence;
    private final List<DrainJob> drains = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> passRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger jobIds = new AtomicInteger();
    private final Map<Integer, ScanInputs> fruitlessScans = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long segmentsCleaned;
    private volatile long segmentsFreedEmpty;
    private volatile long bytesRelocated;
    private volatile long bytesReclaimed;
    private volatile long relocateRate;
    private long lastPassEnded = System.nanoTime();
    private long lastPassNanos;
    private long lastScan = System.nanoTime();

    public Collector(MetadataStore store, PoolDirectory pools, Reaper reaper, SegmentCleaner cleaner, GcConfig config,
                     LongSupplier durableSequence) {
        this.store = store;
        this.pools = pools;
        this.reaper = reaper;
        this.cleaner = cleaner;
        this.config = config;
        this.policy = new CleaningPolicy(config);
        this.durableSequence = durableSequence;
        this.thread = new Thread(this::run, "volume-gc");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts draining {@code disk}; {@code onDrained} detaches it once empty (on the collector thread). */
    @Override
    public DrainJob drain(Pool pool, BackendDisk disk, Runnable onDrained) {
        DrainJob job = new DrainJob("drain-" + disk.id() + "-" + jobIds.incrementAndGet(), pool, disk, onDrained);
        drains.add(job);
        wake();
        return job;
    }

    /** Runs {@code task} on the collector thread, between passes (so never beside the reaper or cleaner). */
    @Override
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                done.complete(task.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        wake();
        return done;
    }

    /**
     * Chunks were listed in {@code pendingfree} by a batch of another writer (volume deletion,
     * snapshot reclaim): the next pass walks the list for them. Any thread.
     */
    public void chunksListed() {
        reaper.requestWalk();
        wake();
    }

    /** Runs a full pass now, walking the list of released chunks too; completes when it is done (tests, admin "clean now"). */
    public CompletableFuture<Void> runPass() {
        reaper.requestWalk();
        CompletableFuture<Void> done = new CompletableFuture<>();
        passRequests.add(done);
        wake();
        return done;
    }

    /** Starts a pass soon (never blocks; callable from any thread). */
    public void wake() {
        LockSupport.unpark(thread);
    }

    public CleanerStatistics statistics() {
        return new CleanerStatistics(reaper.freed(), segmentsCleaned, segmentsFreedEmpty, bytesRelocated, bytesReclaimed,
                relocateRate);
    }

    private void run() {
        boolean pressing = false;
        while (running) {
            if (!pressing) {
                awaitSpacing();
            }
            for (Runnable task; (task = tasks.poll()) != null;) {
                task.run();
            }
            List<CompletableFuture<Void>> requests = new ArrayList<>();
            for (CompletableFuture<Void> r; (r = passRequests.poll()) != null;) {
                requests.add(r);
            }
            Outcome outcome;
            long started = System.nanoTime();
            try {
                outcome = pass(!requests.isEmpty());
                requests.forEach(r -> r.complete(null));
            } catch (RuntimeException e) {
                LOG.error("garbage collection pass failed", e);
                requests.forEach(r -> r.completeExceptionally(e));
                outcome = Outcome.IDLE;
            }
            lastPassEnded = System.nanoTime();
            lastPassNanos = lastPassEnded - started;
            pressing = outcome.pressing();
            if (passRequests.isEmpty() && tasks.isEmpty() && running) {
                pause(outcome);
            }
        }
        passRequests.forEach(r -> r.cancel(false));
        tasks.forEach(Runnable::run);
    }

    /**
     * Holds a wake that came sooner than {@link #QUIET_DUTY_FACTOR} times the last pass's duration
     * after that pass until then, unless something presses meanwhile (a request, a task, a drain,
     * a writer waiting for space, free segments running short).
     */
    private void awaitSpacing() {
        long spacing = Math.min(lastPassNanos * QUIET_DUTY_FACTOR, TimeUnit.MILLISECONDS.toNanos(config.intervalMillis()));
        for (long left = lastPassEnded + spacing - System.nanoTime(); left > 0 && running && !pressed();
             left = lastPassEnded + spacing - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private boolean pressed() {
        if (!passRequests.isEmpty() || !tasks.isEmpty() || !drains.isEmpty()) {
            return true;
        }
        for (Pool pool : pools.pools()) {
            if (plan(pool).urgency() > 0) {
                return true;
            }
        }
        return false;
    }

    /** No pause while urgent work makes progress; a short one while it waits on commits; else the interval. */
    private void pause(Outcome outcome) {
        if (outcome.pressing() && outcome.progress()) {
            return;
        }
        LockSupport.parkNanos(outcome.pressing() ? PRESSED_PAUSE_NANOS : TimeUnit.MILLISECONDS.toNanos(config.intervalMillis()));
    }

    /** One pass; {@code full}: scan every pool for segments to clean even when nothing presses. */
    private Outcome pass(boolean full) {
        Collection<Pool> all = pools.pools();
        long durable = durableSequence.getAsLong();
        all.forEach(p -> p.collectionStarting(durable));
        boolean caughtUp = false;
        try {
            if (store.failed()) {
                return Outcome.IDLE;
            }
            long before = reaper.freed() + segmentsCleaned;
            caughtUp = reap();
            for (DrainJob job : drains) {
                drainStep(job);
            }
            boolean pressing = !caughtUp;
            boolean scan = full || System.nanoTime() - lastScan >= TimeUnit.MILLISECONDS.toNanos(config.intervalMillis());
            for (Pool pool : all) {
                CleaningPolicy.Plan plan = plan(pool);
                if (plan.urgency() > 0 || scan && (full || !unchangedSinceFruitlessScan(pool))) {
                    pressing |= scanPool(pool, plan);
                }
            }
            if (scan) {
                lastScan = System.nanoTime();
            }
            return new Outcome(reaper.freed() + segmentsCleaned > before, pressing);
        } finally {
            for (Pool pool : all) {
                pool.collectionEnded(caughtUp);
            }
        }
    }

    /**
     * Reaps at most {@link #REAP_BATCHES_PER_PASS} batches, freeing every sealed segment left
     * without a live byte at once; returns whether the list of released chunks was drained.
     */
    private boolean reap() {
        for (int i = 0; i < REAP_BATCHES_PER_PASS && running; i++) {
            Reaper.Reaped reaped = reaper.reapOnce(REAP_BATCH);
            freeEmptied(reaped.segments());
            if (reaped.drained()) {
                return true;
            }
        }
        return false;
    }

    /** Frees, without copying, the segments among {@code touched} that are sealed, settled and hold no live byte. */
    private void freeEmptied(List<SegmentKey> touched) {
        if (touched.isEmpty()) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(touched.size());
        touched.forEach(k -> keys.add(k.encode()));
        List<byte[]> states = store.multiGetRaw(Schema.SEGMENT, keys);
        List<byte[]> live = store.multiGetRaw(Schema.SEGMENT_LIVE, keys);
        long durable = durableSequence.getAsLong();
        for (int i = 0; i < touched.size(); i++) {
            SegmentKey key = touched.get(i);
            if (states.get(i) == null || Counters.decode(live.get(i)) != 0
                    || ValueCodecs.SEGMENT.decode(states.get(i)) != SegmentState.SEALED) {
                continue;
            }
            Pool pool = pools.poolOfDisk(key.diskId());
            BackendDisk disk = pool == null ? null : pool.disk(key.diskId());
            if (disk != null && disk.state() != DiskState.FAILED && pool.settled(key.diskId(), key.segment(), durable)) {
                freeEmpty(pool, disk, key.segment());
            }
        }
    }

    private void freeEmpty(Pool pool, BackendDisk disk, int segment) {
        if (cleaner.freeIfEmpty(disk, segment, pool)) {
            segmentsCleaned++;
            segmentsFreedEmpty++;
            reclaimed(disk);
        }
    }

    private void drainStep(DrainJob job) {
        try {
            BackendDisk disk = job.disk();
            List<SegmentUsage> segments = segmentsOf(disk);
            long durable = durableSequence.getAsLong();
            for (SegmentUsage s : segments) {
                if (s.state() == SegmentState.SEALED && job.pool().settled(disk.id(), s.segment(), durable) && running
                        && !cleanOne(job.pool(), disk, s, job::relocated)) {
                    throw new IllegalStateException("the pool has no room left for the live chunks of disk " + disk.id());
                }
            }
            if (segmentsOf(disk).isEmpty()) {
                drains.remove(job);
                job.finish();
            }
        } catch (RuntimeException e) {
            LOG.error("draining disk {} failed", job.disk().id(), e);
            drains.remove(job);
            job.fail(e);
        }
    }

    /** Whether the last scan of {@code pool} found nothing to do and nothing it depends on has moved since. */
    private boolean unchangedSinceFruitlessScan(Pool pool) {
        return scanInputs(pool).equals(fruitlessScans.get(pool.id()));
    }

    /** {@link #cleanPool}, remembering the inputs of a scan that freed and cleaned nothing. */
    private boolean scanPool(Pool pool, CleaningPolicy.Plan plan) {
        ScanInputs inputs = scanInputs(pool);
        long before = segmentsCleaned;
        boolean pressing = cleanPool(pool, plan);
        if (segmentsCleaned == before && !pressing) {
            fruitlessScans.put(pool.id(), inputs);
        } else {
            fruitlessScans.remove(pool.id());
        }
        return pressing;
    }

    private ScanInputs scanInputs(Pool pool) {
        long live = 0;
        int free = 0;
        for (BackendDisk disk : pool.disks()) {
            live += disk.liveBytes();
            free += disk.freeSegments();
        }
        return new ScanInputs(durableSequence.getAsLong(), live, free);
    }

    /**
     * Frees the pool's empty sealed segments and cleans sparse ones as its {@link CleaningPolicy}
     * plan says; returns whether the pool still presses (writers wait, or urgent cleaning went on).
     */
    private boolean cleanPool(Pool pool, CleaningPolicy.Plan plan) {
        List<SegmentUsage> candidates = settledSealedSegments(pool);
        boolean waiting = pool.waitingWriters() > 0;
        int cleaned = 0;
        for (SegmentUsage s : candidates) {
            BackendDisk disk = pool.disk(s.diskId());
            if (disk == null || !running) {
                continue;
            }
            if (s.liveBytes() == 0) {
                freeEmpty(pool, disk, s.segment());
            } else if (cleaned < plan.budget() && s.liveBytes() <= disk.record().segmentSize() * plan.liveLimit()) {
                if (!cleanOne(pool, disk, s, bytes -> { })) {
                    break;
                }
                cleaned++;
            }
        }
        return waiting || plan.urgency() > 0 && cleaned > 0;
    }

    /** How hard to clean {@code pool} now, from its free segments and waiting writers (no RocksDB call). */
    private CleaningPolicy.Plan plan(Pool pool) {
        int total = 0;
        int writable = 0;
        for (BackendDisk disk : pool.disks()) {
            total += disk.record().segmentCount();
            writable += disk.writable() ? 1 : 0;
        }
        return policy.plan(pool.freeSegments(), total, Math.max(1, writable), pool.waitingWriters() > 0);
    }

    /** The sealed segments of the pool's disks that are not FAILED and that the committer settled, emptiest first. */
    private List<SegmentUsage> settledSealedSegments(Pool pool) {
        long durable = durableSequence.getAsLong();
        List<SegmentUsage> candidates = new ArrayList<>();
        for (BackendDisk disk : pool.disks()) {
            if (disk.state() == DiskState.FAILED) {
                continue;
            }
            for (SegmentUsage s : segmentsOf(disk)) {
                if (s.state() == SegmentState.SEALED && pool.settled(disk.id(), s.segment(), durable)) {
                    candidates.add(s);
                }
            }
        }
        candidates.sort(Comparator.comparingLong(SegmentUsage::liveBytes));
        return candidates;
    }

    /**
     * Cleans one segment; returns false when the cleaner found no room for the live chunks (its
     * reserve is used up), which ends cleaning in that pool for this pass.
     */
    private boolean cleanOne(Pool pool, BackendDisk disk, SegmentUsage s, LongConsumer progress) {
        long start = System.nanoTime();
        long[] moved = {0};
        boolean freed;
        try {
            freed = cleaner.clean(pool, disk, s.segment(), bytes -> {
                moved[0] += bytes;
                bytesRelocated += bytes;
                progress.accept(bytes);
            });
        } catch (CompletionException | BlockIoException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof BlockIoException)) {
                throw e;
            }
            LOG.debug("cleaning segment {} of disk {} stopped: {}", s.segment(), disk.id(), cause.getMessage());
            return false;
        }
        double seconds = Math.max(1e-6, (System.nanoTime() - start) / 1e9);
        relocateRate = (long) (moved[0] / seconds);
        if (freed) {
            segmentsCleaned++;
            reclaimed(disk);
        }
        return true;
    }

    private void reclaimed(BackendDisk disk) {
        bytesReclaimed += disk.record().segmentSize();
    }

    /** The allocated segments of a disk with their live bytes, from RocksDB. */
    private List<SegmentUsage> segmentsOf(BackendDisk disk) {
        List<SegmentKey> keys = new ArrayList<>();
        List<SegmentState> states = new ArrayList<>();
        try (Cursor c = store.cursor(Schema.SEGMENT, SegmentKey.diskStart(disk.id()), SegmentKey.diskEnd(disk.id()))) {
            for (; c.valid(); c.next()) {
                keys.add(SegmentKey.CODEC.decode(c.key()));
                states.add(ValueCodecs.SEGMENT.decode(c.value()));
            }
        }
        List<byte[]> raw = new ArrayList<>();
        keys.forEach(k -> raw.add(k.encode()));
        List<byte[]> live = store.multiGetRaw(Schema.SEGMENT_LIVE, raw);
        List<SegmentUsage> usage = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            usage.add(new SegmentUsage(disk.id(), keys.get(i).segment(), states.get(i), Counters.decode(live.get(i))));
        }
        return usage;
    }

    /** Stops the thread after the pass in progress. Idempotent. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drains.forEach(j -> j.fail(new IllegalStateException("volume manager closed")));
    }
}
