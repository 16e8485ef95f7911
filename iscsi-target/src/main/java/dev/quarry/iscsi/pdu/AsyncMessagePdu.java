package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Asynchronous Message (RFC 7143 §11.9). The Initiator Task Tag is always the reserved tag.
 *
 * <p>Immutable fields; owns {@code data} (SenseLength + sense data + iSCSI event data), so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record AsyncMessagePdu(long lun, int statSn, int expCmdSn, int maxCmdSn, int asyncEvent, int asyncVCode,
                              int parameter1, int parameter2, int parameter3, ByteBuf data)
        implements TargetPdu, DataPdu {

    /** A SCSI asynchronous event, reported with sense data. */
    public static final int SCSI_ASYNC_EVENT = 0;
    /** The target requests a logout within Parameter3 seconds. */
    public static final int LOGOUT_REQUEST = 1;

    public AsyncMessagePdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public AsyncMessagePdu replace(ByteBuf content) {
        return new AsyncMessagePdu(lun, statSn, expCmdSn, maxCmdSn, asyncEvent, asyncVCode, parameter1, parameter2,
                parameter3, content);
    }
}
