package dev.quarry.iscsi.scsi;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a logical unit keeps across restarts: the persistent reservations when an initiator asked
 * for that (APTPL), and the saved mode pages (MODE SELECT with SP).
 *
 * <p>Immutable and thread-safe (the page arrays are copied in and out).
 *
 * @param reservations the persistent reservation state, or {@code null} when APTPL is off
 * @param savedModePages saved mode pages by page code, each a whole page with its header
 */
public record LogicalUnitState(PersistentReservationState reservations, Map<Integer, byte[]> savedModePages) {

    /** Nothing saved. */
    public static final LogicalUnitState EMPTY = new LogicalUnitState(null, Map.of());

    public LogicalUnitState {
        Map<Integer, byte[]> copy = new TreeMap<>();
        savedModePages.forEach((code, page) -> copy.put(code, page.clone()));
        savedModePages = java.util.Collections.unmodifiableMap(copy);
    }

    @Override
    public Map<Integer, byte[]> savedModePages() {
        Map<Integer, byte[]> copy = new TreeMap<>();
        savedModePages.forEach((code, page) -> copy.put(code, page.clone()));
        return copy;
    }
}
