package dev.quarry.iscsi.scsi;

/**
 * What the SCSI layer tells the transport of one I_T nexus, unasked. Implemented by the iSCSI
 * session.
 *
 * <p>Methods may be called from any thread and must return promptly (an implementation hops to
 * its own event loop).
 */
public interface NexusEvents {

    /**
     * A SCSI asynchronous event for {@code lun} with the sense data that describes it; the
     * transport sends it as an iSCSI Asynchronous Message (AsyncEvent 0) when it can.
     */
    void asyncEvent(long lun, byte[] senseData);

    /**
     * Tasks for {@code lun} that this nexus' transport still holds (waiting for Data-Out) were
     * aborted by a reset from another nexus: drop them without a response.
     */
    void tasksAborted(long lun);

    /**
     * A TARGET COLD RESET: the transport ends the nexus (RFC 7143 §11.5.1 closes every connection
     * of every session).
     */
    void coldReset();
}
