package dev.quarry.volume.thin;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acknowledgement of a cached write given while its data write is still under way (the
 * write-back window, docs/chunk-store.md), and the committer ticket that makes flushes wait for
 * it. The write's outcome and the acknowledgement race (the data write completes on a disk
 * thread); one compare-and-set decides which came first, so a write that failed before it was
 * acknowledged is reported to the host, and one that failed after is reported as lost.
 *
 * <p>Thread-safe.
 */
final class EarlyAck {

    private static final int PENDING = 0;
    private static final int ACKNOWLEDGED = 1;
    private static final int FAILED = 2;

    private final long ticket;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    EarlyAck(long ticket) {
        this.ticket = ticket;
    }

    long ticket() {
        return ticket;
    }

    /** Gives the acknowledgement now, unless the write failed already (then the host is told that). */
    boolean acknowledge() {
        return state.compareAndSet(PENDING, ACKNOWLEDGED);
    }

    /** The write failed: whether it had been acknowledged (it is lost then). */
    boolean failedAfterAcknowledgement() {
        return !state.compareAndSet(PENDING, FAILED);
    }
}
