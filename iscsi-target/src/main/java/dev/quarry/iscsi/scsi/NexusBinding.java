package dev.quarry.iscsi.scsi;

import java.util.Objects;

/**
 * How one I_T nexus reaches a logical unit: the nexus, the transport's event sink, the LUN it
 * addresses the unit by (wire form) and the target it came through.
 *
 * <p>Immutable and thread-safe.
 */
record NexusBinding(ItNexus nexus, NexusEvents events, long lun, TargetView target) {

    NexusBinding {
        Objects.requireNonNull(nexus, "nexus");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(target, "target");
    }
}
