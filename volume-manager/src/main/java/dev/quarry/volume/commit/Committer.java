package dev.quarry.volume.commit;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.map.MapCache;
import dev.quarry.volume.map.MapOverlay;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit pipeline (DESIGN "Commit order"). Writers submit mutations whose chunk records
 * are already written to their segments; the mutation is applied to the overlay at once, so it is
 * readable, and queued. The committer thread then, per round: fdatasyncs every disk the round
 * wrote to, then writes the round as one WriteBatch, then moves the entries from the overlay to
 * the cache and completes the futures. So the map never points at data that is not durable, and
 * concurrent FUA writes and flushes share one fdatasync per disk and one WAL sync.
 *
 * <p>The batch is written with sync=true (WAL fdatasync'ed) only when the round must be durable:
 * a FUA write or a flush waits, or the committer closes. A round of cached writes leaves its WAL
 * record to the next synced write: RocksDB's WAL is one sequential log recovered up to its first
 * missing record, so a crash keeps a prefix of the rounds, each of which points only at data
 * synced before it was written (RELIABILITY 1.3). {@link #durableSequence()} counts committed
 * rounds; {@link #flush()} waits for the WAL sync.
 *
 * <p>A writer may acknowledge a cached write before its data write completes (the write-back
 * window, docs/chunk-store.md): it {@link #tryAnnounce announces} the mutation first and submits it
 * with the ticket once the data is written, or {@link #withdraw withdraws} the ticket when the
 * data could not be written anywhere. A flush waits for every mutation announced before it to be
 * submitted (and covers it) or withdrawn (and then fails, once, with WRITE ERROR: an acknowledged
 * cached write was lost), so SYNCHRONIZE CACHE keeps its meaning.
 *
 * <p>Thread-safe. Submitting never blocks; the committer runs on its own platform thread.
 */
public final class Committer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /**
     * A flush: done once everything up to {@code target} is committed and the WAL synced.
     * {@code horizon}: the last ticket announced before it, for reporting withdrawn ones.
     */
    private record FlushWaiter(long target, long horizon, CompletableFuture<Void> future) {
    }

    /**
     * What one turn of the committer thread does.
     *
     * @param mutations the round to commit (may be empty)
     * @param sync whether its batch, and every unsynced batch before it, must reach the WAL on disk
     */
    private record Round(List<Mutation> mutations, boolean sync) {
    }

    private final MetadataStore store;
    private final MapOverlay overlay;
    private final MapCache cache;
    private final CommitConfig config;
    private final CommitListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition allSubmitted = lock.newCondition();
    private final ArrayDeque<Mutation> queue = new ArrayDeque<>();
    private final List<FlushWaiter> waiters = new ArrayList<>();
    private final TreeSet<Long> announced = new TreeSet<>();
    /** Flushes waiting for announced mutations (target unknown until then), by horizon. */
    private final List<FlushWaiter> announcedWaiters = new ArrayList<>();
    private long lastTicket;
    private long lostTicket;
    private long lostReportedTicket;
    private final Thread thread;
    private int queuedOps;
    private int queuedDurable;
    private long enqueued;
    private volatile long durable;
    private volatile long walSynced;
    private long droppedUpTo;
    private long droppedReported;
    private volatile Throwable failure;
    private boolean draining;
    private boolean closing;

    public Committer(MetadataStore store, MapOverlay overlay, MapCache cache, CommitConfig config, CommitListener listener) {
        this.store = store;
        this.overlay = overlay;
        this.cache = cache;
        this.config = config;
        this.listener = listener;
        this.thread = new Thread(this::run, "volume-committer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Applies {@code mutation} to the overlay and queues it; returns its commit future. Callers
     * submit mutations of a block under that block's extent lock, so overlay order is queue order.
     */
    public CompletableFuture<Void> submit(Mutation mutation) {
        lock.lock();
        try {
            if (failure != null || closing) {
                mutation.committed().completeExceptionally(unavailable());
                return mutation.committed();
            }
            long sequence = ++enqueued;
            mutation.sequence(sequence);
            for (Mutation.BlockOp op : mutation.ops()) {
                overlay.put(mutation.volumeId(), op.block(), op.value(), sequence);
            }
            queue.add(mutation);
            queuedOps += mutation.size();
            if (mutation.durable()) {
                queuedDurable++;
            }
            if (mutation.durable() || queuedOps >= config.maxBatchOps() || queue.size() == 1) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return mutation.committed();
    }

    /**
     * Announces a mutation that will be {@link #submit(Mutation, long) submitted} once its data is
     * written, so that its write may be acknowledged now; returns its ticket, or -1 (announce
     * nothing, acknowledge after submitting) when {@code limit} announced mutations are pending
     * already, the overlay is full, or the committer cannot take writes.
     */
    public long tryAnnounce(int limit) {
        lock.lock();
        try {
            if (failure != null || draining || closing || announced.size() >= limit || backlogged()) {
                return -1;
            }
            long ticket = ++lastTicket;
            announced.add(ticket);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Submits an announced mutation (see {@link #submit(Mutation)}) and retires its ticket. */
    public CompletableFuture<Void> submit(Mutation mutation, long ticket) {
        CompletableFuture<Void> committed = submit(mutation);
        retire(ticket, false);
        return committed;
    }

    /**
     * Retires an announced ticket whose mutation will never come: {@code lost} when its write was
     * acknowledged (the next flush that covers it fails with WRITE ERROR).
     */
    public void withdraw(long ticket, boolean lost) {
        retire(ticket, lost);
    }

    private void retire(long ticket, boolean lost) {
        lock.lock();
        try {
            announced.remove(ticket);
            if (lost) {
                lostTicket = Math.max(lostTicket, ticket);
            }
            long pendingFrom = announced.isEmpty() ? Long.MAX_VALUE : announced.first();
            boolean moved = false;
            for (Iterator<FlushWaiter> it = announcedWaiters.iterator(); it.hasNext();) {
                FlushWaiter w = it.next();
                if (w.horizon() < pendingFrom) {
                    it.remove();
                    waiters.add(new FlushWaiter(enqueued, w.horizon(), w.future()));
                    moved = true;
                }
            }
            if (moved) {
                work.signal();
            }
            if (announced.isEmpty()) {
                allSubmitted.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes when every mutation submitted before the call, and every one announced before it,
     * is durable (SYNCHRONIZE CACHE); fails when a cached write acknowledged before it was lost.
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (failure != null) {
                done.completeExceptionally(unavailable());
            } else if (!announced.isEmpty()) {
                announcedWaiters.add(new FlushWaiter(-1, lastTicket, done));
            } else if (walSynced >= enqueued) {
                completeFlush(new FlushWaiter(enqueued, lastTicket, done));
            } else {
                waiters.add(new FlushWaiter(enqueued, lastTicket, done));
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    /** Whether writers should wait for the commit of their write (the overlay is full). */
    public boolean backlogged() {
        return overlay.size() > config.maxPendingOps();
    }

    /** The sequence of the last submitted mutation. */
    public long enqueuedSequence() {
        lock.lock();
        try {
            return enqueued;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sequence up to which everything is committed: its data synced and its mappings written
     * to RocksDB, crash-consistently (a crash keeps a prefix of the committed rounds, and any later
     * synced RocksDB write keeps them all). {@link #flush()} waits for the WAL sync as well.
     */
    public long durableSequence() {
        return durable;
    }

    private void run() {
        while (true) {
            Round round = take();
            if (round == null) {
                return;
            }
            if (!round.mutations().isEmpty()) {
                commit(round.mutations(), round.sync());
            } else if (round.sync()) {
                syncWal();
            }
            completeWaiters();
        }
    }

    /** Makes every batch written so far durable with one synced empty batch (the WAL is sequential). */
    private void syncWal() {
        long upTo = durable;
        if (walSynced >= upTo || failure != null) {
            return;
        }
        try (Batch empty = store.batch()) {
            store.write(empty, true);
        } catch (RuntimeException e) {
            storeFailed(List.of(), e);
            return;
        }
        walSynced = upTo;
    }

    /** Waits for work and takes a round; null when closed, drained and synced. */
    private Round take() {
        lock.lock();
        try {
            while (queue.isEmpty() && waiters.isEmpty()) {
                if (closing) {
                    return walSynced < durable && failure == null ? new Round(List.of(), true) : null;
                }
                work.awaitUninterruptibly();
            }
            if (!urgent() && queuedOps < config.maxBatchOps() && !closing) {
                work.awaitNanos(TimeUnit.MILLISECONDS.toNanos(config.intervalMillis()));
            }
            boolean sync = urgent() || closing;
            List<Mutation> round = new ArrayList<>();
            int ops = 0;
            while (!queue.isEmpty() && (round.isEmpty() || ops + queue.peek().size() <= config.maxBatchOps())) {
                Mutation m = queue.poll();
                round.add(m);
                ops += m.size();
                queuedOps -= m.size();
                if (m.durable()) {
                    queuedDurable--;
                }
            }
            return new Round(round, sync);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Round(List.of(), false);
        } finally {
            lock.unlock();
        }
    }

    private boolean urgent() {
        return queuedDurable > 0 || !waiters.isEmpty();
    }

    private void commit(List<Mutation> round, boolean sync) {
        Set<BackendDisk> failedDisks = syncDisks(round);
        List<Mutation> keep = new ArrayList<>();
        List<Mutation> drop = new ArrayList<>();
        for (Mutation m : round) {
            (failedDisks.stream().anyMatch(m.disks()::contains) ? drop : keep).add(m);
        }
        CommitBatch builder = new CommitBatch(store, cache);
        try {
            if (!keep.isEmpty()) {
                try (Batch batch = builder.build(keep)) {
                    store.write(batch, sync);
                }
            } else if (sync) {
                try (Batch empty = store.batch()) {
                    store.write(empty, true);
                }
            }
        } catch (RuntimeException e) {
            storeFailed(round, e);
            return;
        }
        for (Mutation m : keep) {
            for (Mutation.BlockOp op : m.ops()) {
                if (op.hintOnly()) {
                    cache.invalidate(m.volumeId(), op.block());
                } else {
                    cache.put(m.volumeId(), op.block(), op.value());
                }
                overlay.remove(m.volumeId(), op.block(), m.sequence());
            }
        }
        for (Mutation m : drop) {
            dropMutation(m);
        }
        List<Mutation.NewChunk> chunks = new ArrayList<>();
        keep.forEach(m -> chunks.addAll(m.chunks()));
        listener.committed(builder.mappedDeltas(), chunks, builder.released());
        durable = round.get(round.size() - 1).sequence();
        if (sync) {
            walSynced = durable;
        }
        keep.forEach(m -> m.committed().complete(null));
    }

    /** fdatasyncs every disk the round wrote to, in parallel; returns those that failed. */
    private Set<BackendDisk> syncDisks(List<Mutation> round) {
        Map<BackendDisk, CompletableFuture<Void>> syncs = new LinkedHashMap<>();
        for (Mutation m : round) {
            for (BackendDisk disk : m.disks()) {
                syncs.computeIfAbsent(disk, BackendDisk::flush);
            }
        }
        Set<BackendDisk> failed = new HashSet<>();
        syncs.forEach((disk, sync) -> {
            try {
                sync.join();
            } catch (RuntimeException e) {
                LOG.error("fdatasync of disk {} failed; its unsynced writes are dropped", disk.id(), e);
                failed.add(disk);
                listener.diskSyncFailed(disk, e);
            }
        });
        return failed;
    }

    private void dropMutation(Mutation m) {
        for (Mutation.BlockOp op : m.ops()) {
            overlay.remove(m.volumeId(), op.block(), m.sequence());
        }
        lock.lock();
        try {
            droppedUpTo = Math.max(droppedUpTo, m.sequence());
        } finally {
            lock.unlock();
        }
        listener.dropped(m);
        m.committed().completeExceptionally(new BlockIoException(SenseCode.WRITE_ERROR, m.sequence(),
                "the disk holding this write failed its fdatasync", null));
    }

    private void storeFailed(List<Mutation> round, RuntimeException e) {
        LOG.error("commit failed; the volume manager stops taking writes", e);
        List<Mutation> all = new ArrayList<>(round);
        lock.lock();
        try {
            failure = e;
            all.addAll(queue);
            queue.clear();
            waiters.addAll(announcedWaiters);
            announcedWaiters.clear();
            allSubmitted.signalAll();
        } finally {
            lock.unlock();
        }
        for (Mutation m : all) {
            for (Mutation.BlockOp op : m.ops()) {
                overlay.remove(m.volumeId(), op.block(), m.sequence());
            }
            m.committed().completeExceptionally(unavailable());
        }
    }

    private void completeWaiters() {
        List<FlushWaiter> ready = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<FlushWaiter> it = waiters.iterator(); it.hasNext();) {
                FlushWaiter w = it.next();
                if (w.target() <= walSynced || failure != null) {
                    ready.add(w);
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        ready.forEach(this::completeFlush);
    }

    private void completeFlush(FlushWaiter waiter) {
        if (failure != null) {
            waiter.future().completeExceptionally(unavailable());
            return;
        }
        boolean lost;
        lock.lock();
        try {
            boolean dropped = droppedUpTo > droppedReported && droppedUpTo <= waiter.target();
            boolean withdrawn = lostTicket > lostReportedTicket && lostTicket <= waiter.horizon();
            lost = dropped || withdrawn;
            if (dropped) {
                droppedReported = droppedUpTo;
            }
            if (withdrawn) {
                lostReportedTicket = lostTicket;
            }
        } finally {
            lock.unlock();
        }
        if (lost) {
            waiter.future().completeExceptionally(new BlockIoException(SenseCode.WRITE_ERROR,
                    "cached writes were lost: a backend disk failed a write or its fdatasync"));
        } else {
            waiter.future().complete(null);
        }
    }

    private BlockIoException unavailable() {
        return new BlockIoException(SenseCode.INTERNAL_TARGET_FAILURE,
                failure != null ? "metadata commit failed" : "volume manager is closing", failure);
    }

    /**
     * Waits (at most 30 s) for announced mutations to be submitted, commits what is queued, then
     * stops the thread. Idempotent; blocks until drained.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            draining = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!announced.isEmpty() && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.error("{} announced writes never came; closing without them", announced.size());
                    break;
                }
                allSubmitted.awaitNanos(left);
            }
            closing = true;
            work.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
