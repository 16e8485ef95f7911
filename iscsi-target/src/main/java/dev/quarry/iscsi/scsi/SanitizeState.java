package dev.quarry.iscsi.scsi;

/**
 * Whether a SANITIZE operation is running on a logical unit and how far it got (SBC-3 §4.11), and
 * whether the last one failed (sanitize failure mode, left by EXIT FAILURE MODE).
 *
 * <p>Thread-safe.
 */
final class SanitizeState {

    private boolean running;
    private long done;
    private long total;
    private boolean failed;
    private boolean exitAllowed;

    /** Starts an operation; false when one is already running. */
    synchronized boolean begin() {
        if (running) {
            return false;
        }
        running = true;
        done = 0;
        total = 1;
        return true;
    }

    /** The volume's report: {@code doneUnits} of {@code totalUnits} finished. */
    synchronized void progressTo(long doneUnits, long totalUnits) {
        total = Math.max(1, totalUnits);
        done = Math.max(0, Math.min(total, doneUnits));
    }

    /** Ends the running operation; a failure enters failure mode, leavable by EXIT FAILURE MODE when {@code ause}. */
    synchronized void end(boolean success, boolean ause) {
        running = false;
        failed = !success;
        exitAllowed = !success && ause;
    }

    synchronized boolean running() {
        return running;
    }

    synchronized boolean failed() {
        return failed;
    }

    /** Leaves failure mode; false when not allowed (the failed operation had AUSE 0). */
    synchronized boolean exitFailureMode() {
        if (failed && !exitAllowed) {
            return false;
        }
        failed = false;
        return true;
    }

    /** The PROGRESS INDICATION of the running operation, in 65536ths. */
    synchronized int progress() {
        return (int) Math.min(0xFFFF, (long) ((double) done / total * 0x10000));
    }
}
