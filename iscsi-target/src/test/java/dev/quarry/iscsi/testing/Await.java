package dev.quarry.iscsi.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for conditions that become true on another thread (the server's event loop).
 *
 * <p>Stateless and thread-safe.
 */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** {@link #until} with five seconds. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, Duration.ofSeconds(5), what);
    }
}
