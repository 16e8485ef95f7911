package dev.quarry.iscsi.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of full feature phase, per session.
 *
 * <p>Immutable and thread-safe.
 *
 * @param queueDepth SCSI tasks a session may run at once; MaxCmdSN stops advancing at this depth
 * @param maxImmediateCommands immediate SCSI commands in flight before Reject 0x06 (RFC 7143 §11.17.1)
 * @param maxWriteTransferLength the largest Data-Out (EDTL) one command may carry; the SCSI layer
 *     should report no more as MAXIMUM TRANSFER LENGTH
 * @param maxTextLength bound of a text request continued over several PDUs
 * @param nopTimeout how long a target NOP-In ping may stay unanswered before the connection drops
 * @param dataOutGrace how long a task ended by a Data-Out error waits for the initiator's remaining
 *     Data-Out before the target answers anyway (RFC 7143 §11.17.1 asks it to wait)
 */
public record SessionSettings(int queueDepth, int maxImmediateCommands, int maxWriteTransferLength, int maxTextLength,
                              Duration nopTimeout, Duration dataOutGrace) {

    public SessionSettings {
        if (queueDepth < 1 || maxImmediateCommands < 1 || maxWriteTransferLength < 512 || maxTextLength < 1024) {
            throw new IllegalArgumentException("session limits out of range");
        }
        Objects.requireNonNull(nopTimeout, "nopTimeout");
        Objects.requireNonNull(dataOutGrace, "dataOutGrace");
    }
}
