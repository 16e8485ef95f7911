package dev.quarry.iscsi.scsi;

/**
 * Unwinds a command whose task was aborted while it ran between steps; the task set then answers
 * it as the abort says. Carries no stack trace.
 *
 * <p>Immutable.
 */
final class TaskAbortedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TaskAbortedException() {
        super("task aborted", null, false, false);
    }
}
