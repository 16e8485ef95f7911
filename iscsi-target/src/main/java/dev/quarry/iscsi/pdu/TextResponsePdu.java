package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Text Response (RFC 7143 §11.11).
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record TextResponsePdu(boolean finalPdu, boolean continueFlag, long lun, int initiatorTaskTag,
                              int targetTransferTag, int statSn, int expCmdSn, int maxCmdSn, ByteBuf data)
        implements TargetPdu, DataPdu {

    public TextResponsePdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    @Override
    public TextResponsePdu replace(ByteBuf content) {
        return new TextResponsePdu(finalPdu, continueFlag, lun, initiatorTaskTag, targetTransferTag, statSn, expCmdSn,
                maxCmdSn, content);
    }
}
