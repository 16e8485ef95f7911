package dev.quarry.iscsi.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections per source address and in total, so that a flood of half-open connections
 * cannot exhaust the server (RELIABILITY §3 case 23): over the cap, a connection is closed at
 * accept, before it costs a pipeline.
 *
 * <p>Thread-safe; per-source counts change atomically through {@link ConcurrentHashMap#compute}.
 */
final class ConnectionLimiter {

    private final int perSource;
    private final int total;
    private final ConcurrentHashMap<InetAddress, Integer> bySource = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();

    ConnectionLimiter(int perSource, int total) {
        this.perSource = perSource;
        this.total = total;
    }

    /** Counts a new connection from {@code source}; {@code false} (and nothing counted) when over a cap. */
    boolean tryAcquire(InetAddress source) {
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            return false;
        }
        boolean[] admitted = new boolean[1];
        bySource.compute(source, (s, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < perSource;
            return admitted[0] ? current + 1 : count;
        });
        if (!admitted[0]) {
            all.decrementAndGet();
        }
        return admitted[0];
    }

    /** Uncounts a connection from {@code source} that {@link #tryAcquire} admitted. */
    void release(InetAddress source) {
        all.decrementAndGet();
        bySource.computeIfPresent(source, (s, count) -> count == 1 ? null : count - 1);
    }
}
