package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Reject (RFC 7143 §11.17). The data segment holds the complete header of the rejected PDU.
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 *
 * @param reason the raw Reason code; see {@link RejectReason}
 */
public record RejectPdu(int reason, int statSn, int expCmdSn, int maxCmdSn, int dataSnOrR2tSn, ByteBuf data)
        implements TargetPdu, DataPdu {

    public RejectPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public RejectPdu replace(ByteBuf content) {
        return new RejectPdu(reason, statSn, expCmdSn, maxCmdSn, dataSnOrR2tSn, content);
    }
}
