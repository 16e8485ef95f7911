package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;

/**
 * One command in a logical unit's task set (SAM-5 §8). Its state and abort disposition are
 * guarded by the owning {@link TaskSet}'s monitor; its futures complete exactly once.
 *
 * <p>Thread-safe.
 */
final class ScsiTask {

    /** Where a task stands in the task set. */
    enum State { WAITING, RUNNING }

    /** How an aborted task is answered (SAM-5 §7.2; the TAS bit of the control mode page). */
    enum Disposition {
        /** No response at all: the issuing nexus aborted it, or TAS is 0. */
        SILENT,
        /** TASK ABORTED status: another nexus aborted it and TAS is 1. */
        TASK_ABORTED
    }

    private final NexusBinding binding;
    private final ScsiCommand command;
    private final CompletableFuture<ScsiResponse> response = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CompletableFuture<Void> abortRequested = new CompletableFuture<>();
    private final long arrivedNanos = System.nanoTime();

    private State state = State.WAITING;
    private Disposition disposition;

    ScsiTask(NexusBinding binding, ScsiCommand command) {
        this.binding = binding;
        this.command = command;
    }

    NexusBinding binding() {
        return binding;
    }

    ItNexus nexus() {
        return binding.nexus();
    }

    ScsiCommand command() {
        return command;
    }

    /** {@link System#nanoTime()} when the task entered the task set. */
    long arrivedNanos() {
        return arrivedNanos;
    }

    long tag() {
        return command.taskTag();
    }

    TaskAttribute attribute() {
        return command.attribute();
    }

    /** The response the transport receives; completed once, never exceptionally. */
    CompletableFuture<ScsiResponse> response() {
        return response;
    }

    /** Completes when the task can no longer touch the medium (it finished, or was aborted before it started). */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Completes when an abort has been requested, so that a handler waiting on a long operation can let go. */
    CompletableFuture<Void> abortRequested() {
        return abortRequested;
    }

    /** Whether an abort has been requested; handlers check between steps. */
    boolean abortPending() {
        return abortRequested.isDone();
    }

    State state() {
        return state;
    }

    void state(State next) {
        this.state = next;
    }

    Disposition disposition() {
        return disposition;
    }

    /** Marks the task aborted; the first disposition wins. Called under the task set's monitor. */
    void markAborted(Disposition how) {
        if (disposition == null) {
            disposition = how;
        }
    }

    boolean aborted() {
        return disposition != null;
    }
}
