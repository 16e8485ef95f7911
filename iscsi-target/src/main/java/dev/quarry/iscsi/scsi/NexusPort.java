package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletionStage;

/**
 * One I_T nexus' door into the SCSI target: commands and task management enter here. Obtained
 * from {@link ScsiTarget#attach} when a session reaches full feature phase, closed when the
 * nexus ends (logout or connection loss).
 *
 * <p>Thread-safe. Never blocks: results arrive through the returned stages, which complete on
 * SCSI or volume threads; the transport hops back to its event loop to answer.
 */
public interface NexusPort extends AutoCloseable {

    /**
     * Executes {@code command}. Takes ownership of the command's Data-Out. The transport must
     * submit commands in command order (CmdSN); the SCSI layer then orders them by task attribute.
     * The stage never completes exceptionally: every failure is a response (CHECK CONDITION with
     * sense).
     */
    CompletionStage<ScsiResponse> execute(ScsiCommand command);

    /** ABORT TASK for the task {@code referencedTaskTag}; completes once the task can no longer touch the medium. */
    CompletionStage<TmfResult> abortTask(long lun, long referencedTaskTag);

    /** ABORT TASK SET: every task of this nexus on {@code lun}. */
    CompletionStage<TmfResult> abortTaskSet(long lun);

    /** CLEAR TASK SET: every task on {@code lun}, of every nexus. */
    CompletionStage<TmfResult> clearTaskSet(long lun);

    /** CLEAR ACA on {@code lun}. */
    CompletionStage<TmfResult> clearAca(long lun);

    /** LOGICAL UNIT RESET: abort every task on {@code lun}, release RESERVE(6), establish unit attentions. */
    CompletionStage<TmfResult> logicalUnitReset(long lun);

    /**
     * TARGET WARM RESET ({@code cold == false}) or TARGET COLD RESET: a logical unit reset of every
     * LUN. After a cold reset every other nexus of the target hears {@link NexusEvents#coldReset()};
     * the issuing transport ends its own nexus after it has sent the TMF response.
     */
    CompletionStage<TmfResult> targetReset(boolean cold);

    /**
     * The nexus is gone (logout or connection loss): its tasks are aborted, a RESERVE(6)
     * reservation it held is released; persistent reservations stay. Idempotent.
     */
    @Override
    void close();
}
