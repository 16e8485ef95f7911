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

    /** Starts an operation of {@code totalUnits} units; false when one is already running. */
    synchronized boolean begin(long totalUnits) {
        if (running) {
            return false;
        }
        running = true;
        done = 0;
        total = Math.max(1, totalUnits);
        return true;
    }

    synchronized void advance(long units) {
        done = Math.min(total, done + units);
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
        return (int) Math.min(0xFFFF, done * 0x10000 / total);
    }
}
