package dev.quarry.iscsi.session;

import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.scsi.TaskAttribute;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One SCSI task as the transport sees it, from its SCSI Command PDU to its response: where its
 * Data-Out stands, whether it is in CmdSN order yet, whether the SCSI layer has it, and the
 * future that completes once it can no longer produce anything (response sent or dropped).
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class ScsiTask {

    private final int initiatorTaskTag;
    private final long lun;
    private final int cmdSn;
    private final boolean immediate;
    private final TaskAttribute attribute;
    private final byte[] cdb;
    private final long expectedDataTransferLength;
    private final boolean read;
    private final boolean write;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private DataOutCollector collector;
    private TransportSense failure;
    private boolean ordered;
    private boolean delivered;
    private boolean aborted;
    private int dataInPdus;
    private ScheduledFuture<?> graceTimer;

    ScsiTask(ScsiCommandPdu command, TaskAttribute attribute) {
        this.initiatorTaskTag = command.initiatorTaskTag();
        this.lun = command.lun();
        this.cmdSn = command.cmdSn();
        this.immediate = command.immediate();
        this.attribute = attribute;
        this.cdb = command.cdb();
        this.expectedDataTransferLength = command.expectedDataTransferLengthUnsigned();
        this.read = command.read();
        this.write = command.write();
    }

    int initiatorTaskTag() {
        return initiatorTaskTag;
    }

    long lun() {
        return lun;
    }

    int cmdSn() {
        return cmdSn;
    }

    boolean immediate() {
        return immediate;
    }

    TaskAttribute attribute() {
        return attribute;
    }

    byte[] cdb() {
        return cdb;
    }

    long expectedDataTransferLength() {
        return expectedDataTransferLength;
    }

    boolean read() {
        return read;
    }

    boolean write() {
        return write;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    DataOutCollector collector() {
        return collector;
    }

    void collector(DataOutCollector collector) {
        this.collector = collector;
    }

    /** Ends the task with transport sense; the first failure wins. */
    void fail(TransportSense sense) {
        if (collector != null) {
            collector.fail(sense);
        } else if (failure == null) {
            failure = sense;
        }
    }

    /** The sense the transport answers with instead of the SCSI layer, or {@code null}. */
    TransportSense failure() {
        return collector != null ? collector.failure() : failure;
    }

    /** No more Data-Out expected for this task. */
    boolean settled() {
        return collector == null || collector.settled();
    }

    /** Ready to go to the SCSI layer: no failure and all Data-Out received. */
    boolean ready() {
        return failure() == null && (collector == null || collector.complete());
    }

    /** Whether the task was processed in CmdSN order (immediate tasks are at once). */
    boolean ordered() {
        return ordered || immediate;
    }

    void markOrdered() {
        ordered = true;
    }

    boolean delivered() {
        return delivered;
    }

    void markDelivered() {
        delivered = true;
    }

    boolean aborted() {
        return aborted;
    }

    void markAborted() {
        aborted = true;
    }

    int dataInPdus() {
        return dataInPdus;
    }

    void dataInPdus(int count) {
        dataInPdus = count;
    }

    /** For the SCSI Response's ExpDataSN: Data-In PDUs of a read, R2Ts of a write. */
    int expDataSn() {
        return collector != null ? collector.r2tCount() : dataInPdus;
    }

    void graceTimer(ScheduledFuture<?> timer) {
        graceTimer = timer;
    }

    boolean graceArmed() {
        return graceTimer != null;
    }

    /** Stops the grace timer and frees what the task holds. Idempotent. */
    void discard() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
        if (collector != null) {
            collector.release();
        }
    }
}
