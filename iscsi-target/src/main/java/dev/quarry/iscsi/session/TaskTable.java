package dev.quarry.iscsi.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The SCSI tasks of one session by Initiator Task Tag, the queue that hands them to the SCSI
 * layer in CmdSN order, and a bounded memory of tags whose stray Data-Out is dropped silently
 * (tasks the target ended or aborted while the initiator may still be sending).
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class TaskTable {

    private final Map<Integer, ScsiTask> byTag = new HashMap<>();
    private final ArrayDeque<ScsiTask> deliveryQueue = new ArrayDeque<>();
    private final Set<Integer> ended = new LinkedHashSet<>();
    private final int endedCapacity;

    TaskTable(int endedCapacity) {
        this.endedCapacity = endedCapacity;
    }

    /** Registers {@code task}; {@code false} when its tag is already in use. */
    boolean add(ScsiTask task) {
        if (byTag.putIfAbsent(task.initiatorTaskTag(), task) != null) {
            return false;
        }
        ended.remove(task.initiatorTaskTag());
        return true;
    }

    ScsiTask get(int initiatorTaskTag) {
        return byTag.get(initiatorTaskTag);
    }

    boolean inUse(int initiatorTaskTag) {
        return byTag.containsKey(initiatorTaskTag);
    }

    /** Queues an ordered, non-immediate task for delivery in CmdSN order. */
    void enqueue(ScsiTask task) {
        deliveryQueue.add(task);
    }

    /** Takes {@code task} out of the delivery queue (it will not go to the SCSI layer). */
    void dequeue(ScsiTask task) {
        deliveryQueue.remove(task);
    }

    /** The tasks at the head of the queue that are ready, in order, removed from the queue. */
    List<ScsiTask> takeReady() {
        List<ScsiTask> ready = new ArrayList<>();
        while (!deliveryQueue.isEmpty() && deliveryQueue.peek().ready()) {
            ready.add(deliveryQueue.poll());
        }
        return ready;
    }

    /** Forgets {@code task}; with {@code ignoreLateData}, later Data-Out for its tag is dropped silently. */
    void remove(ScsiTask task, boolean ignoreLateData) {
        byTag.remove(task.initiatorTaskTag(), task);
        deliveryQueue.remove(task);
        if (ignoreLateData) {
            ended.add(task.initiatorTaskTag());
            Iterator<Integer> oldest = ended.iterator();
            while (ended.size() > endedCapacity) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Whether Data-Out for {@code initiatorTaskTag} belongs to a task that ended and is dropped. */
    boolean recentlyEnded(int initiatorTaskTag) {
        return ended.contains(initiatorTaskTag);
    }

    /** The tasks matching {@code filter}. */
    List<ScsiTask> select(Predicate<ScsiTask> filter) {
        List<ScsiTask> selected = new ArrayList<>();
        for (ScsiTask task : byTag.values()) {
            if (filter.test(task)) {
                selected.add(task);
            }
        }
        return selected;
    }
}
