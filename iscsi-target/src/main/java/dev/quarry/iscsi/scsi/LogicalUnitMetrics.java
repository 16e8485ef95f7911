package dev.quarry.iscsi.scsi;

/**
 * Where a {@link LogicalUnit} reports each finished command, for the per-LUN and per-initiator
 * metrics. The appliance binds it to Micrometer; by default nothing is recorded.
 *
 * <p>Implementations must be thread-safe, must not block and should not allocate: they are
 * called once per command on whichever thread completes it (a volume executor or an event loop).
 */
@FunctionalInterface
public interface LogicalUnitMetrics {

    /** Records nothing. */
    LogicalUnitMetrics NONE = (nexus, kind, bytes, nanos, good) -> {
    };

    /**
     * A command left the task set.
     *
     * @param nexus the I_T nexus that sent it (its initiator name identifies the host)
     * @param kind read, write or other
     * @param bytes host data moved: Data-In returned by a read, Data-Out taken by a write; 0 when not GOOD
     * @param nanos from its arrival in the task set (waiting behind ordered tasks included) to its response
     * @param good whether it ended with GOOD status (false for errors, reservation conflicts and aborts)
     */
    void commandCompleted(ItNexus nexus, CommandKind kind, long bytes, long nanos, boolean good);
}
