package dev.quarry.iscsi.initiator;

import java.util.concurrent.CompletableFuture;

/**
 * One SCSI command in the session: its request, the future its submitter waits on, the order it
 * was submitted in (commands are sent, and after a recovery sent again, in that order), how often
 * it was sent, and the state of its current send (tag, CmdSN, Data-In being collected, R2Ts
 * answered).
 *
 * <p>Not thread-safe; confined to the session's event loop.
 */
final class Task {

    final ScsiRequest request;
    final CompletableFuture<ScsiOutcome> future;
    final long sequence;
    private int attempts;
    private int initiatorTaskTag;
    private int cmdSn;
    private long sentNanos;
    private DataInCollector dataIn;
    private int nextR2tSn;

    Task(ScsiRequest request, CompletableFuture<ScsiOutcome> future, long sequence) {
        this.request = request;
        this.future = future;
        this.sequence = sequence;
    }

    /** Starts a send under {@code tag} and {@code sn}; returns the number of sends including this one. */
    int sent(int tag, int sn, long nanos) {
        initiatorTaskTag = tag;
        cmdSn = sn;
        sentNanos = nanos;
        nextR2tSn = 0;
        dataIn = request.dataInLength() > 0 ? new DataInCollector(request.dataInLength()) : null;
        return ++attempts;
    }

    int attempts() {
        return attempts;
    }

    int initiatorTaskTag() {
        return initiatorTaskTag;
    }

    int cmdSn() {
        return cmdSn;
    }

    long sentNanos() {
        return sentNanos;
    }

    /** The collector of the current send's Data-In, {@code null} for commands that read nothing. */
    DataInCollector dataIn() {
        return dataIn;
    }

    /** Checks the R2TSN of an R2T for this send and counts it. */
    void r2t(int r2tSn) {
        if (r2tSn != nextR2tSn) {
            throw new TargetProtocolException("R2TSN " + Integer.toUnsignedString(r2tSn) + " for " + request.label()
                    + ", expected " + nextR2tSn);
        }
        nextR2tSn++;
    }

    /** Drops the state of the current send (its connection is gone); the task may be sent again. */
    void abandonSend() {
        if (dataIn != null) {
            dataIn.release();
            dataIn = null;
        }
    }

    @Override
    public String toString() {
        return request.label() + " (itt 0x" + Integer.toHexString(initiatorTaskTag) + ", attempt " + attempts + ")";
    }
}
