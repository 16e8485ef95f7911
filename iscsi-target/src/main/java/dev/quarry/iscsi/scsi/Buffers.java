package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases buffers the SCSI layer owns (a command's Data-Out, the Data-In of an aborted task)
 * without letting a broken reference count stop a task from completing: such a double release is
 * a bug elsewhere and is logged, not rethrown into the completion path.
 *
 * <p>Stateless; thread-safe.
 */
final class Buffers {

    private static final Logger LOG = LoggerFactory.getLogger(Buffers.class);

    private Buffers() {
    }

    /** Releases {@code buffer} (takes ownership); {@code null} is ignored. */
    static void release(ByteBuf buffer) {
        if (buffer == null) {
            return;
        }
        try {
            buffer.release();
        } catch (IllegalReferenceCountException e) {
            LOG.error("buffer released twice; its owner broke the ownership rules", e);
        }
    }
}
