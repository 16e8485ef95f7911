package dev.quarry.iscsi.scsi;

/**
 * The RESERVE(6)/RESERVE(10) reservation of a logical unit (SPC-2 §5.5.1, kept by SPC-4 for
 * compatibility): held by at most one I_T nexus, released by RELEASE from that nexus, by the loss
 * of the nexus, and by logical unit and target resets. It is not persisted.
 *
 * <p>Thread-safe.
 */
final class LegacyReservation {

    private ItNexus holder;

    /** Whether a command from {@code nexus} conflicts with the reservation. */
    synchronized boolean conflicts(ItNexus nexus) {
        return holder != null && !holder.equals(nexus);
    }

    /** Reserves the unit for {@code nexus}; false when another nexus holds it. */
    synchronized boolean reserve(ItNexus nexus) {
        if (holder != null && !holder.equals(nexus)) {
            return false;
        }
        holder = nexus;
        return true;
    }

    /** Releases the reservation if {@code nexus} holds it (RELEASE from others is a no-op). */
    synchronized void release(ItNexus nexus) {
        if (nexus.equals(holder)) {
            holder = null;
        }
    }

    /** Releases the reservation whoever holds it (reset). */
    synchronized void releaseAll() {
        holder = null;
    }

    synchronized boolean held() {
        return holder != null;
    }
}
