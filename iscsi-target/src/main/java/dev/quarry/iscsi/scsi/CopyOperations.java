package dev.quarry.iscsi.scsi;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EXTENDED COPY operations of one logical unit by I_T nexus and LIST IDENTIFIER, so that
 * RECEIVE COPY RESULTS can report on them (SPC-4 §6.18.3). At most {@link #HELD_LIMIT} finished
 * operations are held; the oldest go first.
 *
 * <p>Thread-safe.
 */
final class CopyOperations {

    static final int HELD_LIMIT = 64;

    /** COPY MANAGER STATUS values. */
    static final int IN_PROGRESS = 0x00;
    static final int SUCCEEDED = 0x01;
    static final int FAILED = 0x02;

    /** What RECEIVE COPY RESULTS / COPY STATUS reports. */
    record Status(int copyManagerStatus, int segmentsProcessed, long bytesTransferred) {
    }

    private record Key(ItNexus nexus, int listId) {
    }

    private final Map<Key, Status> operations = new LinkedHashMap<>();

    /** Registers a new operation; false when one with the same list identifier is still running. */
    synchronized boolean begin(ItNexus nexus, int listId) {
        Key key = new Key(nexus, listId);
        Status previous = operations.get(key);
        if (previous != null && previous.copyManagerStatus() == IN_PROGRESS) {
            return false;
        }
        operations.remove(key);
        operations.put(key, new Status(IN_PROGRESS, 0, 0));
        trim();
        return true;
    }

    synchronized void progress(ItNexus nexus, int listId, int segments, long bytes) {
        operations.computeIfPresent(new Key(nexus, listId), (k, s) -> new Status(IN_PROGRESS, segments, bytes));
    }

    /** Ends the operation; with {@code hold} false its results are discarded (LIST ID USAGE 10b/11b). */
    synchronized void end(ItNexus nexus, int listId, boolean success, boolean hold) {
        Key key = new Key(nexus, listId);
        Status last = operations.remove(key);
        if (hold && last != null) {
            operations.put(key, new Status(success ? SUCCEEDED : FAILED, last.segmentsProcessed(), last.bytesTransferred()));
        }
    }

    /** The status of list {@code listId} of {@code nexus}, or {@code null}. */
    synchronized Status status(ItNexus nexus, int listId) {
        return operations.get(new Key(nexus, listId));
    }

    /** Drops everything held for {@code nexus} (the nexus is gone). */
    synchronized void forget(ItNexus nexus) {
        operations.keySet().removeIf(key -> key.nexus().equals(nexus));
    }

    private void trim() {
        Iterator<Map.Entry<Key, Status>> it = operations.entrySet().iterator();
        while (operations.size() > HELD_LIMIT && it.hasNext()) {
            if (it.next().getValue().copyManagerStatus() != IN_PROGRESS) {
                it.remove();
            }
        }
    }
}
