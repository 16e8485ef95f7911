package dev.quarry.iscsi.scsi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The task set of one logical unit (SAM-5 §8.6, TST 000b: one task set shared by every I_T
 * nexus), kept in arrival order. SIMPLE tasks start at once unless an older ORDERED or HEAD OF
 * QUEUE task is still incomplete; an ORDERED task starts only when every older task has completed;
 * HEAD OF QUEUE starts immediately.
 *
 * <p>Thread-safe. The monitor guards only list bookkeeping; callers start tasks and complete
 * futures outside it.
 */
final class TaskSet {

    /** Identifies a task: the nexus that sent it and its tag. */
    record Key(ItNexus nexus, long tag) {
    }

    /** The result of {@link #admit}. */
    enum Admission { START, WAIT, DUPLICATE }

    /** Tasks aborted by one request: those removed before they started, and all tasks affected. */
    record Aborted(List<ScsiTask> removedWaiting, List<ScsiTask> affected, List<ScsiTask> nowStartable) {
    }

    private final Map<Key, ScsiTask> tasks = new LinkedHashMap<>();
    private int barriers;
    private int waiting;

    /** Adds {@code task}; says whether it may start now, must wait, or reuses a tag still in use. */
    synchronized Admission admit(ScsiTask task) {
        Key key = new Key(task.nexus(), task.tag());
        if (tasks.containsKey(key)) {
            return Admission.DUPLICATE;
        }
        boolean start = switch (task.attribute()) {
            case HEAD_OF_QUEUE -> true;
            case ORDERED -> tasks.isEmpty();
            case SIMPLE, ACA -> barriers == 0;
        };
        tasks.put(key, task);
        if (isBarrier(task)) {
            barriers++;
        }
        if (start) {
            task.state(ScsiTask.State.RUNNING);
            return Admission.START;
        }
        waiting++;
        return Admission.WAIT;
    }

    /** Removes a finished task and returns the waiting tasks that may start now (already marked running). */
    synchronized List<ScsiTask> finish(ScsiTask task) {
        if (tasks.remove(new Key(task.nexus(), task.tag())) == task && isBarrier(task)) {
            barriers--;
        }
        return startable();
    }

    /** The disposition of {@code task}, read under the monitor that guards it. */
    synchronized ScsiTask.Disposition dispositionOf(ScsiTask task) {
        return task.disposition();
    }

    /** The task {@code tag} of {@code nexus}, or {@code null}. */
    synchronized ScsiTask find(ItNexus nexus, long tag) {
        return tasks.get(new Key(nexus, tag));
    }

    /**
     * Marks every task that {@code which} selects as aborted with the disposition {@code how}
     * gives it; waiting tasks leave the set at once, running ones when they finish.
     */
    synchronized Aborted abort(Predicate<ScsiTask> which, Function<ScsiTask, ScsiTask.Disposition> how) {
        List<ScsiTask> removed = new ArrayList<>();
        List<ScsiTask> affected = new ArrayList<>();
        Iterator<ScsiTask> it = tasks.values().iterator();
        while (it.hasNext()) {
            ScsiTask task = it.next();
            if (task.aborted() || !which.test(task)) {
                continue;
            }
            task.markAborted(how.apply(task));
            affected.add(task);
            if (task.state() == ScsiTask.State.WAITING) {
                it.remove();
                waiting--;
                if (isBarrier(task)) {
                    barriers--;
                }
                removed.add(task);
            }
        }
        return new Aborted(removed, affected, startable());
    }

    /** The number of tasks in the set, for tests and metrics. */
    synchronized int size() {
        return tasks.size();
    }

    private List<ScsiTask> startable() {
        if (waiting == 0) {
            return List.of();
        }
        List<ScsiTask> ready = new ArrayList<>();
        boolean olderBarrier = false;
        boolean olderAny = false;
        for (ScsiTask task : tasks.values()) {
            if (task.state() == ScsiTask.State.WAITING && mayStart(task, olderAny, olderBarrier)) {
                task.state(ScsiTask.State.RUNNING);
                waiting--;
                ready.add(task);
            }
            olderAny = true;
            olderBarrier |= isBarrier(task);
        }
        return ready;
    }

    private static boolean mayStart(ScsiTask task, boolean olderAny, boolean olderBarrier) {
        return switch (task.attribute()) {
            case HEAD_OF_QUEUE -> true;
            case ORDERED -> !olderAny;
            case SIMPLE, ACA -> !olderBarrier;
        };
    }


    private static boolean isBarrier(ScsiTask task) {
        return task.attribute() == TaskAttribute.ORDERED || task.attribute() == TaskAttribute.HEAD_OF_QUEUE;
    }
}
