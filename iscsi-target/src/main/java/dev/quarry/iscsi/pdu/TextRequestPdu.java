package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Text Request (RFC 7143 §11.10).
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record TextRequestPdu(boolean immediate, boolean finalPdu, boolean continueFlag, long lun, int initiatorTaskTag,
                             int targetTransferTag, int cmdSn, int expStatSn, ByteBuf data)
        implements InitiatorPdu, DataPdu {

    public TextRequestPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public TextRequestPdu replace(ByteBuf content) {
        return new TextRequestPdu(immediate, finalPdu, continueFlag, lun, initiatorTaskTag, targetTransferTag, cmdSn,
                expStatSn, content);
    }
}
