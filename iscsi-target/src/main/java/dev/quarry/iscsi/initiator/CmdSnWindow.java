package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.session.SerialNumber;

/**
 * The initiator's view of the command window (RFC 7143 §4.2.2.1): the CmdSN the next
 * non-immediate command takes, and the ExpCmdSN and MaxCmdSN the target last reported. A command
 * may go out while its CmdSN lies in [ExpCmdSN, MaxCmdSN]; an update is taken only when it moves
 * the window forward and is not the bogus MaxCmdSN &lt; ExpCmdSN - 1 the RFC tells initiators to
 * ignore. All comparisons use RFC 1982 serial arithmetic.
 *
 * <p>Not thread-safe; confined to the connection's event loop.
 */
final class CmdSnWindow {

    private int cmdSn;
    private int expCmdSn;
    private int maxCmdSn;

    /** The window the final Login Response opened; {@code cmdSn} is the CmdSN our login carried. */
    CmdSnWindow(int cmdSn, int expCmdSn, int maxCmdSn) {
        this.cmdSn = cmdSn;
        this.expCmdSn = expCmdSn;
        this.maxCmdSn = maxCmdSn;
    }

    /** Whether a non-immediate command may be sent now. */
    boolean open() {
        return SerialNumber.lessOrEqual(cmdSn, maxCmdSn);
    }

    /** The CmdSN for the next non-immediate command; advances it. Call only when {@link #open()}. */
    int take() {
        return cmdSn++;
    }

    /** The CmdSN an immediate PDU carries (it does not advance). */
    int current() {
        return cmdSn;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    int maxCmdSn() {
        return maxCmdSn;
    }

    /**
     * Takes the ExpCmdSN and MaxCmdSN of a target PDU; returns whether the window grew (a held
     * command may now go).
     */
    boolean update(int newExpCmdSn, int newMaxCmdSn) {
        if (SerialNumber.lessThan(newMaxCmdSn, newExpCmdSn - 1)) {
            return false;
        }
        boolean grew = false;
        if (SerialNumber.greaterThan(newExpCmdSn, expCmdSn)) {
            expCmdSn = newExpCmdSn;
        }
        if (SerialNumber.greaterThan(newMaxCmdSn, maxCmdSn)) {
            maxCmdSn = newMaxCmdSn;
            grew = true;
        }
        return grew;
    }

    /** Commands sent but not yet acknowledged by ExpCmdSN. */
    int unacknowledged() {
        return cmdSn - expCmdSn;
    }
}
