package dev.quarry.appliance;

import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.iscsi.server.IscsiServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running appliance: the iSCSI portal, the admin HTTP listener and the storage behind them.
 * Closing it stops in the order that loses nothing: first ask initiators to log out (so no new
 * command arrives), then stop the admin API, then close logical units and volumes (which flush).
 *
 * <p>Thread-safe; {@link #close()} is idempotent and may be called from a shutdown hook.
 */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    /** How long initiators get to log out when asked to, before their connections are closed. */
    static final Duration LOGOUT_GRACE = Duration.ofSeconds(3);

    private final IscsiServer iscsi;
    private final HttpApiServer http;
    private final Deque<AutoCloseable> storage;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param storage what backs the LUNs, closed in reverse order of the iteration (volumes
     *     first in the deque, the logical units that export them after)
     */
    public Appliance(IscsiServer iscsi, HttpApiServer http, Deque<AutoCloseable> storage) {
        this.iscsi = iscsi;
        this.http = http;
        this.storage = new ArrayDeque<>(storage);
    }

    public IscsiServer iscsi() {
        return iscsi;
    }

    public HttpApiServer http() {
        return http;
    }

    /** Blocks until {@link #close()} has finished (for the main thread of a daemon). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            LOG.info("stopping: asking initiators to log out");
            iscsi.shutdownGracefully(LOGOUT_GRACE).join();
            http.close();
            while (!storage.isEmpty()) {
                AutoCloseable part = storage.pollLast();
                try {
                    part.close();
                } catch (Exception e) {
                    LOG.error("closing {} failed", part, e);
                }
            }
            LOG.info("stopped");
        } finally {
            stopped.countDown();
        }
    }
}
