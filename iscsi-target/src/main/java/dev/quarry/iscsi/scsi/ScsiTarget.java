package dev.quarry.iscsi.scsi;

/**
 * A SCSI target device (SAM-5 §4.6.2): the logical units one iSCSI target name exports and the
 * nexuses that reach them.
 *
 * <p>Thread-safe.
 */
public interface ScsiTarget {

    /**
     * Opens the nexus {@code nexus} for commands. {@code events} receives what the SCSI layer
     * tells this nexus unasked.
     */
    NexusPort attach(ItNexus nexus, NexusEvents events);
}
