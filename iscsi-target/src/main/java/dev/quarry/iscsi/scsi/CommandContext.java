package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Everything a command handler sees of one command: the logical unit, the nexus it came from,
 * the CDB, the Data-Out (borrowed; the task releases it when it ends) and its task, for abort
 * checks between steps. Records the transfer length the CDB asked for, for residuals.
 *
 * <p>Not thread-safe: used by one command's handler, one step after the other.
 */
final class CommandContext {

    /** Largest parameter list accepted, in bytes. */
    static final int MAX_PARAMETER_LIST = 1 << 20;

    private final LogicalUnit unit;
    private final ScsiTask task;
    private final byte[] cdb;
    private int expectedDataOut;

    CommandContext(LogicalUnit unit, ScsiTask task) {
        this.unit = unit;
        this.task = task;
        this.cdb = task.command().cdb();
    }

    LogicalUnit unit() {
        return unit;
    }

    ScsiTask task() {
        return task;
    }

    NexusBinding binding() {
        return task.binding();
    }

    ItNexus nexus() {
        return task.nexus();
    }

    byte[] cdb() {
        return cdb;
    }

    /** The Data-Out, borrowed, or {@code null} when none came. */
    ByteBuf dataOut() {
        return task.command().dataOut();
    }

    /** How many Data-Out bytes came. */
    int dataOutBytes() {
        ByteBuf data = dataOut();
        return data == null ? 0 : data.readableBytes();
    }

    /** Records that the CDB called for {@code bytes} of Data-Out (reported as ScsiResponse.dataOutLength). */
    void expectDataOut(long bytes) {
        expectedDataOut = (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    int expectedDataOut() {
        return expectedDataOut;
    }

    /**
     * The parameter list of {@code length} bytes the CDB announced, as received. A list longer
     * than {@link #MAX_PARAMETER_LIST} or longer than the Data-Out that came is a parameter list
     * length error.
     */
    byte[] parameterList(long length) {
        expectDataOut(length);
        if (length > MAX_PARAMETER_LIST || length > dataOutBytes()) {
            throw ScsiCommandException.parameterListLengthError();
        }
        byte[] list = new byte[(int) length];
        ByteBuf data = dataOut();
        if (length > 0) {
            data.getBytes(data.readerIndex(), list);
        }
        return list;
    }

    /** Fails with {@link TaskAbortedException} when the task was aborted; handlers call it between steps. */
    void checkNotAborted() {
        if (task.abortPending()) {
            throw new TaskAbortedException();
        }
    }

    /** GOOD with {@code data} cut to {@code allocationLength} bytes (SPC-4 §4.2.5.6); no data when 0. */
    static ScsiResult goodData(byte[] data, long allocationLength) {
        int length = (int) Math.min(data.length, allocationLength);
        if (length == 0) {
            return ScsiResult.good();
        }
        return ScsiResult.good(Unpooled.wrappedBuffer(length == data.length ? data : Arrays.copyOf(data, length)));
    }
}
