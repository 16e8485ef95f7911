package dev.quarry.volume.pool;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where host writers of one pool wait, without holding a thread, for space the garbage collector
 * is reclaiming (DESIGN "What hypervisors rely on": out-of-space pauses only the writers). A
 * writer that finds no room registers and gets a future. The collector decides every waiter at
 * the end of each pass that started after the waiter registered: one whose records still exceed
 * its limit fails with SPACE_ALLOCATION_FAILED, but only when the pass is conclusive for it
 * (everything submitted before it registered was committed when the pass started, and the reaper
 * has since caught up: so an UNMAP acknowledged before the write counts); every other one is told
 * to retry. A freed segment tells every waiter to retry at once. A waiter not told anything by
 * its deadline fails with {@link #RECLAIMING}, which hosts retry.
 *
 * <p>Thread-safe and non-blocking: futures complete on the collector thread, or on the JDK's
 * delay scheduler at their deadline.
 */
public final class SpaceGate {

    /**
     * NOT READY / LOGICAL UNIT NOT READY, OPERATION IN PROGRESS (02/04/07): the collector did not
     * make room in time although the pool is not full; initiators retry this sense.
     */
    public static final SenseCode RECLAIMING = new SenseCode(0x02, 0x04, 0x07);

    /** Whether a waiter's records exceed the limit of its purpose (the pool's admission rule). */
    @FunctionalInterface
    interface Limit {
        boolean exceeded(int recordBytes, Pool.Purpose purpose);
    }

    /**
     * One waiting writer.
     *
     * @param recordBytes the record bytes it needs
     * @param purpose the limit it is held to
     * @param pass passes started when it registered
     * @param submitted the committer's enqueued sequence when it registered
     * @param future completed to let it retry, or failed
     */
    private record Waiter(int recordBytes, Pool.Purpose purpose, long pass, long submitted, CompletableFuture<Void> future) {
    }

    private final String poolName;
    private final LongSupplier enqueuedSequence;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile long passesStarted;
    private volatile long durableAtPassStart;

    /** {@code enqueuedSequence}: the committer's sequence of the last submitted mutation. */
    SpaceGate(String poolName, LongSupplier enqueuedSequence) {
        this.poolName = poolName;
        this.enqueuedSequence = enqueuedSequence;
    }

    /**
     * Waits for room for {@code recordBytes} of {@code purpose}: completes normally when the
     * writer should try again, exceptionally with SPACE_ALLOCATION_FAILED or {@link #RECLAIMING}.
     */
    CompletableFuture<Void> await(int recordBytes, Pool.Purpose purpose, long timeoutNanos) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(recordBytes, purpose, passesStarted, enqueuedSequence.getAsLong(), future);
        waiters.add(waiter);
        future.whenComplete((ok, failure) -> waiters.remove(waiter));
        CompletableFuture.delayedExecutor(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS).execute(() ->
                future.completeExceptionally(new BlockIoException(RECLAIMING, "pool " + poolName
                        + " is reclaiming space; the write did not get room in time")));
        return future;
    }

    /** Writers waiting now. */
    public int waiting() {
        return waiters.size();
    }

    /**
     * The collector starts a pass, with everything up to {@code durableSequence} committed:
     * writers registered before now are decided when it ends.
     */
    void passStarting(long durableSequence) {
        durableAtPassStart = durableSequence;
        passesStarted++;
    }

    /**
     * The collector finished the pass it last started. {@code reaperCaughtUp}: every chunk
     * released before the pass started has been freed, so live bytes are exact.
     */
    void passEnded(boolean reaperCaughtUp, Limit limit) {
        long pass = passesStarted;
        long durable = durableAtPassStart;
        for (Waiter w : waiters) {
            if (w.pass() >= pass) {
                continue;
            }
            boolean conclusive = reaperCaughtUp && durable >= w.submitted();
            if (conclusive && limit.exceeded(w.recordBytes(), w.purpose())) {
                w.future().completeExceptionally(new BlockIoException(SenseCode.SPACE_ALLOCATION_FAILED,
                        "pool " + poolName + " is full: live data fills it up to its limit"));
            } else {
                w.future().complete(null);
            }
        }
    }

    /** A segment was freed: every waiter tries again. */
    void wakeAll() {
        for (Waiter w : waiters) {
            w.future().complete(null);
        }
    }
}
