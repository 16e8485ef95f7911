package dev.quarry.iscsi.initiator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Orders operations on overlapping block ranges: an operation starts only when no earlier one
 * that conflicts with it (overlapping, and at least one of the two writes) is still running or
 * waiting, so overlapping writes reach the target in the order they were issued and a read never
 * passes a write it came after, also when commands are sent again after a connection recovery.
 * Reads share ranges with reads; operations on disjoint ranges never wait.
 *
 * <p>Not thread-safe; confined to the session's event loop. Linear in the operations in flight,
 * which the queue depth bounds.
 */
final class OverlapGate {

    /** A granted or waiting operation; {@link #release()} ends it. */
    final class Entry {
        private final long start;
        private final long end;
        private final boolean exclusive;
        private final Consumer<Entry> onGrant;
        private boolean granted;

        private Entry(long start, long blocks, boolean exclusive, Consumer<Entry> onGrant) {
            this.start = start;
            this.end = start + Math.max(1, blocks);
            this.exclusive = exclusive;
            this.onGrant = onGrant;
        }

        private boolean conflicts(Entry other) {
            return (exclusive || other.exclusive) && start < other.end && other.start < end;
        }

        /** Ends the operation and starts the waiting ones it held back. Idempotent. */
        void release() {
            if (entries.remove(this)) {
                grantWaiting();
            }
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * Registers an operation on {@code blocks} blocks from {@code lba}; {@code onGrant} gets the
     * entry (to release it) at once when nothing earlier conflicts, otherwise when the last
     * conflicting operation releases.
     */
    void acquire(long lba, long blocks, boolean exclusive, Consumer<Entry> onGrant) {
        Entry entry = new Entry(lba, blocks, exclusive, onGrant);
        boolean free = entries.stream().noneMatch(entry::conflicts);
        entries.add(entry);
        if (free) {
            entry.granted = true;
            onGrant.accept(entry);
        }
    }

    /** Operations granted or waiting. */
    int size() {
        return entries.size();
    }

    private void grantWaiting() {
        List<Entry> grant = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry candidate = entries.get(i);
            if (!candidate.granted && noEarlierConflict(i)) {
                candidate.granted = true;
                grant.add(candidate);
            }
        }
        grant.forEach(e -> e.onGrant.accept(e));
    }

    private boolean noEarlierConflict(int index) {
        Entry candidate = entries.get(index);
        for (int j = 0; j < index; j++) {
            if (entries.get(j).conflicts(candidate)) {
                return false;
            }
        }
        return true;
    }
}
