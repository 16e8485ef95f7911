package dev.quarry.iscsi.session;

/**
 * The numbers a target PDU carries: StatSN of the connection (RFC 7143 §4.2.2.2) and the
 * session's ExpCmdSN/MaxCmdSN. Status-bearing PDUs take the next StatSN; R2T, NOP-In pings and
 * Data-In without status carry the current one without advancing it.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class SequenceNumbers {

    private final CommandWindow window;
    private int statSn;

    /**
     * @param nextStatSn the StatSN of the first full feature response (the final Login Response's + 1)
     */
    public SequenceNumbers(CommandWindow window, int nextStatSn) {
        this.window = window;
        this.statSn = nextStatSn;
    }

    /** The StatSN for a status-bearing PDU; advances it. */
    public int takeStatSn() {
        return statSn++;
    }

    /** The next StatSN, without advancing it. */
    public int peekStatSn() {
        return statSn;
    }

    public int expCmdSn() {
        return window.expCmdSn();
    }

    public int maxCmdSn() {
        return window.maxCmdSn();
    }

    public CommandWindow window() {
        return window;
    }
}
