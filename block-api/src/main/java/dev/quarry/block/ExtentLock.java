package dev.quarry.block;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous exclusive locks on ranges of blocks, granted in request order: a request waits
 * only for earlier requests that overlap it. This is what makes COMPARE AND WRITE atomic against
 * every other write and keeps overlapping writes in the order they were issued.
 *
 * <p>Thread-safe. Never blocks: {@link #acquire} returns a future that completes (on the thread
 * that released the conflicting range, or at once) with a {@link Lease}. The internal monitor is
 * held only for list bookkeeping, never across I/O.
 */
public final class ExtentLock {

    private final List<Request> requests = new ArrayList<>();

    /** A granted range; closing it lets waiting overlapping requests proceed. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Requests exclusive use of {@code blocks} blocks from {@code lba}. */
    public CompletableFuture<Lease> acquire(long lba, long blocks) {
        Request request = new Request(lba, blocks);
        boolean granted;
        synchronized (this) {
            granted = requests.stream().noneMatch(request::overlaps);
            request.granted = granted;
            requests.add(request);
        }
        if (granted) {
            request.future.complete(request);
        }
        return request.future;
    }

    /** The number of ranges held or awaited, for tests and metrics. */
    public synchronized int pending() {
        return requests.size();
    }

    private void release(Request done) {
        List<Request> toGrant = new ArrayList<>();
        synchronized (this) {
            if (!requests.remove(done)) {
                return;
            }
            for (int i = 0; i < requests.size(); i++) {
                Request candidate = requests.get(i);
                if (!candidate.granted && noEarlierOverlap(i)) {
                    candidate.granted = true;
                    toGrant.add(candidate);
                }
            }
        }
        for (Request request : toGrant) {
            request.future.complete(request);
        }
    }

    private boolean noEarlierOverlap(int index) {
        Request candidate = requests.get(index);
        for (int j = 0; j < index; j++) {
            if (requests.get(j).overlaps(candidate)) {
                return false;
            }
        }
        return true;
    }

    private final class Request implements Lease {
        private final long start;
        private final long end;
        private final CompletableFuture<Lease> future = new CompletableFuture<>();
        private boolean granted;

        Request(long lba, long blocks) {
            this.start = lba;
            this.end = lba + Math.max(1, blocks);
        }

        boolean overlaps(Request other) {
            return start < other.end && other.start < end;
        }

        @Override
        public void close() {
            release(this);
        }
    }
}
