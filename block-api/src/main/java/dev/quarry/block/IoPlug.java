package dev.quarry.block;

import java.util.ArrayDeque;

/**
 * Holds back the hand-off of device I/O made on this thread until the plug is closed, as Linux's
 * block plug does. A caller that answers its host on the same thread plugs around its work: a
 * cached write acknowledged in the write-back window then sends its reply before its device
 * write wakes a disk thread (a futex wake, on a VM an interrupt to the other vCPU), not after.
 * Plugs nest on a thread; only the outermost close releases what was held, in order. A device
 * whose threads do the I/O hands off through {@link #submit}.
 *
 * <p>Confined to one thread: a plug is the thread's own, and so is what it holds.
 */
public final class IoPlug implements AutoCloseable {

    private static final ThreadLocal<IoPlug> CURRENT = ThreadLocal.withInitial(IoPlug::new);

    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private int depth;

    private IoPlug() {
    }

    /** Opens (or nests into) this thread's plug; close it on the same thread. */
    public static IoPlug open() {
        IoPlug plug = CURRENT.get();
        plug.depth++;
        return plug;
    }

    /** Runs {@code handOff} now, or when this thread's outermost plug closes if one is open. */
    public static void submit(Runnable handOff) {
        IoPlug plug = CURRENT.get();
        if (plug.depth == 0) {
            handOff.run();
        } else {
            plug.held.add(handOff);
        }
    }

    /**
     * Closes this level; the outermost runs every held hand-off, all of them even when one
     * throws (the first failure is rethrown after), so none is left behind.
     */
    @Override
    public void close() {
        if (depth == 0) {
            throw new IllegalStateException("plug closed more often than opened");
        }
        if (--depth > 0) {
            return;
        }
        RuntimeException first = null;
        for (Runnable handOff = held.poll(); handOff != null; handOff = held.poll()) {
            try {
                handOff.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
