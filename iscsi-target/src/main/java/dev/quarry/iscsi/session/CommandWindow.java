package dev.quarry.iscsi.session;

/**
 * The command numbering window of a session (RFC 7143 §4.2.2.1): ExpCmdSN is the next CmdSN the
 * target expects, MaxCmdSN the last it accepts. MaxCmdSN = ExpCmdSN + (queue depth - running
 * tasks) - 1, and never moves back: while the queue is full it simply stops advancing, which is
 * the backpressure an initiator understands.
 *
 * <pre>
 *   ... done | running tasks | ExpCmdSN ............ MaxCmdSN | beyond: ignored
 *                             `-- queueDepth - running slots --'
 * </pre>
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class CommandWindow {

    /** Where a CmdSN falls relative to the window. */
    public enum Position {
        /** Below ExpCmdSN: a duplicate or stale command, silently ignored. */
        BEHIND,
        /** Equal to ExpCmdSN: process now. */
        NEXT,
        /** Inside the window after a gap: hold until the gap fills. */
        AHEAD,
        /** Above MaxCmdSN (or incomparable): silently ignored. */
        BEYOND
    }

    private final int queueDepth;
    private int expCmdSn;
    private int maxCmdSn;
    private int running;

    /**
     * @param initialCmdSn the CmdSN carried by the login requests
     * @param queueDepth the most tasks the session runs at once (at least 1)
     */
    public CommandWindow(int initialCmdSn, int queueDepth) {
        if (queueDepth < 1) {
            throw new IllegalArgumentException("queueDepth must be positive: " + queueDepth);
        }
        this.queueDepth = queueDepth;
        this.expCmdSn = initialCmdSn;
        this.maxCmdSn = initialCmdSn + queueDepth - 1;
    }

    public int expCmdSn() {
        return expCmdSn;
    }

    /**
     * MaxCmdSN, brought up to date: computed when read, so that a command consumed and its task
     * started in the same turn never lets the window run ahead of the queue.
     */
    public int maxCmdSn() {
        advanceMax();
        return maxCmdSn;
    }

    /** Tasks counted against the queue depth. */
    public int running() {
        return running;
    }

    /** Where {@code cmdSn} falls; with the window closed (MaxCmdSN = ExpCmdSN - 1) even ExpCmdSN is beyond. */
    public Position position(int cmdSn) {
        if (SerialNumber.lessThan(cmdSn, expCmdSn)) {
            return Position.BEHIND;
        }
        if (!SerialNumber.inWindow(cmdSn, expCmdSn, maxCmdSn())) {
            return Position.BEYOND;
        }
        return cmdSn == expCmdSn ? Position.NEXT : Position.AHEAD;
    }

    /** The command numbered ExpCmdSN was received: ExpCmdSN advances. */
    public void consume() {
        expCmdSn++;
    }

    /** A task starts occupying a queue slot. */
    public void taskStarted() {
        running++;
    }

    /** A task ended (its response was sent or dropped): a slot frees and MaxCmdSN may advance. */
    public void taskFinished() {
        if (running == 0) {
            throw new IllegalStateException("no running task");
        }
        running--;
    }

    private void advanceMax() {
        int candidate = expCmdSn + Math.max(0, queueDepth - running) - 1;
        maxCmdSn = SerialNumber.max(maxCmdSn, candidate);
    }
}
