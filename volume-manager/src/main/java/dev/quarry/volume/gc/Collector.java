package dev.quarry.volume.gc;

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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * The garbage collector's thread: each pass reaps released chunks, advances disk drains, then
 * frees empty sealed segments and cleans sparse ones by the {@link GcConfig} policy. Only
 * segments the committer has settled are touched, so nothing still in the overlay moves.
 *
 * <p>Thread-safe entry points; the work itself is confined to its own platform thread.
 */
public final class Collector implements Drainer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final int REAP_BATCH = 4096;

    private final MetadataStore store;
    private final PoolDirectory pools;
    private final Reaper reaper;
    private final SegmentCleaner cleaner;
    private final GcConfig config;
    private final LongSupplier durableSequence;
    private final List<DrainJob> drains = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> passRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger jobIds = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long segmentsCleaned;
    private volatile long bytesRelocated;
    private volatile long bytesReclaimed;
    private volatile long relocateRate;

    public Collector(MetadataStore store, PoolDirectory pools, Reaper reaper, SegmentCleaner cleaner, GcConfig config,
                     LongSupplier durableSequence) {
        this.store = store;
        this.pools = pools;
        this.reaper = reaper;
        this.cleaner = cleaner;
        this.config = config;
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

    /** Runs a full pass now; completes when it is done (tests, admin "clean now"). */
    public CompletableFuture<Void> runPass() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        passRequests.add(done);
        wake();
        return done;
    }

    public void wake() {
        LockSupport.unpark(thread);
    }

    public CleanerStatistics statistics() {
        return new CleanerStatistics(reaper.freed(), segmentsCleaned, bytesRelocated, bytesReclaimed, relocateRate);
    }

    private void run() {
        while (running) {
            for (Runnable task; (task = tasks.poll()) != null;) {
                task.run();
            }
            List<CompletableFuture<Void>> requests = new ArrayList<>();
            for (CompletableFuture<Void> r; (r = passRequests.poll()) != null;) {
                requests.add(r);
            }
            try {
                pass();
                requests.forEach(r -> r.complete(null));
            } catch (RuntimeException e) {
                LOG.error("garbage collection pass failed", e);
                requests.forEach(r -> r.completeExceptionally(e));
            }
            if (passRequests.isEmpty() && tasks.isEmpty() && running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(config.intervalMillis()));
            }
        }
        passRequests.forEach(r -> r.cancel(false));
        tasks.forEach(Runnable::run);
    }

    private void pass() {
        if (store.failed()) {
            return;
        }
        // Each call walks pendingfree from its start, over the tombstones of every entry reaped
        // since the last flush; a batch that was not full reached the end, so a second walk in
        // the same pass would only find entries listed meanwhile (the next pass takes those).
        int reaped;
        do {
            reaped = reaper.reapOnce(REAP_BATCH);
        } while (reaped == REAP_BATCH && running);
        for (DrainJob job : drains) {
            drainStep(job);
        }
        for (Pool pool : pools.pools()) {
            cleanPool(pool);
        }
    }

    private void drainStep(DrainJob job) {
        try {
            BackendDisk disk = job.disk();
            List<SegmentUsage> segments = segmentsOf(disk);
            long durable = durableSequence.getAsLong();
            for (SegmentUsage s : segments) {
                if (s.state() == SegmentState.SEALED && job.pool().settled(disk.id(), s.segment(), durable) && running) {
                    cleanOne(job.pool(), disk, s, job::relocated);
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

    private void cleanPool(Pool pool) {
        long durable = durableSequence.getAsLong();
        int total = 0;
        List<SegmentUsage> candidates = new ArrayList<>();
        for (BackendDisk disk : pool.disks()) {
            total += disk.record().segmentCount();
            if (disk.state() == DiskState.FAILED) {
                continue;
            }
            for (SegmentUsage s : segmentsOf(disk)) {
                if (s.state() == SegmentState.SEALED && pool.settled(disk.id(), s.segment(), durable)) {
                    candidates.add(s);
                }
            }
        }
        boolean pressure = pool.freeSegments() < total * config.pressureFreeFraction();
        double limit = pressure ? config.pressureLiveFraction() : config.idleLiveFraction();
        candidates.sort(Comparator.comparingLong(SegmentUsage::liveBytes));
        int cleaned = 0;
        for (SegmentUsage s : candidates) {
            BackendDisk disk = pool.disk(s.diskId());
            if (disk == null || !running) {
                continue;
            }
            if (s.liveBytes() == 0) {
                if (cleaner.freeIfEmpty(disk, s.segment(), pool)) {
                    segmentsCleaned++;
                    reclaimed(disk);
                }
            } else if (s.liveBytes() <= disk.record().segmentSize() * limit && cleaned < config.segmentsPerPass()) {
                cleanOne(pool, disk, s, bytes -> { });
                cleaned++;
            }
        }
    }

    private void cleanOne(Pool pool, BackendDisk disk, SegmentUsage s, LongConsumer progress) {
        long start = System.nanoTime();
        long[] moved = {0};
        boolean freed = cleaner.clean(pool, disk, s.segment(), bytes -> {
            moved[0] += bytes;
            bytesRelocated += bytes;
            progress.accept(bytes);
        });
        double seconds = Math.max(1e-6, (System.nanoTime() - start) / 1e9);
        relocateRate = (long) (moved[0] / seconds);
        if (freed) {
            segmentsCleaned++;
            reclaimed(disk);
        }
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
