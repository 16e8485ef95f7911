package dev.quarry.iscsi.scsi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Pending unit attention conditions of one logical unit, per I_T nexus (SAM-5 §5.14, SPC-4
 * §5.14). A power-on/reset condition (ASC 29h) goes first and replaces an older one; other
 * conditions are reported in the order they arose, each once; a queue never grows beyond
 * {@link #LIMIT} entries (the oldest non-reset condition gives way).
 *
 * <p>Thread-safe; the monitor guards only the queues.
 */
final class UnitAttentions {

    static final int LIMIT = 16;

    private final Map<ItNexus, Deque<AscAscq>> pending = new HashMap<>();

    /** Starts tracking {@code nexus} with {@code initial} pending (a new nexus, or one that came back). */
    synchronized void connect(ItNexus nexus, AscAscq initial) {
        Deque<AscAscq> queue = new ArrayDeque<>();
        queue.add(initial);
        pending.put(nexus, queue);
    }

    /** Stops tracking {@code nexus}; its pending conditions are dropped. */
    synchronized void disconnect(ItNexus nexus) {
        pending.remove(nexus);
    }

    /** Establishes {@code code} for {@code nexus}, if that nexus is connected. */
    synchronized void establish(ItNexus nexus, AscAscq code) {
        Deque<AscAscq> queue = pending.get(nexus);
        if (queue != null) {
            add(queue, code);
        }
    }

    /** Establishes {@code code} for every connected nexus except {@code except} (which may be {@code null}). */
    synchronized void establishAll(AscAscq code, ItNexus except) {
        pending.forEach((nexus, queue) -> {
            if (!nexus.equals(except)) {
                add(queue, code);
            }
        });
    }

    /** Removes and returns the condition to report to {@code nexus} next, or {@code null}. */
    synchronized AscAscq take(ItNexus nexus) {
        Deque<AscAscq> queue = pending.get(nexus);
        return queue == null ? null : queue.pollFirst();
    }

    /** Clears {@code code} for {@code nexus} (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED). */
    synchronized void clear(ItNexus nexus, AscAscq code) {
        Deque<AscAscq> queue = pending.get(nexus);
        if (queue != null) {
            queue.remove(code);
        }
    }

    /** The conditions pending for {@code nexus}, oldest first, for tests. */
    synchronized java.util.List<AscAscq> pending(ItNexus nexus) {
        Deque<AscAscq> queue = pending.get(nexus);
        return queue == null ? java.util.List.of() : java.util.List.copyOf(queue);
    }

    private static void add(Deque<AscAscq> queue, AscAscq code) {
        if (isReset(code)) {
            queue.removeIf(UnitAttentions::isReset);
            queue.addFirst(code);
        } else if (!queue.contains(code)) {
            queue.addLast(code);
        }
        while (queue.size() > LIMIT) {
            queue.removeLast();
        }
    }

    private static boolean isReset(AscAscq code) {
        return code.asc() == 0x29;
    }
}
