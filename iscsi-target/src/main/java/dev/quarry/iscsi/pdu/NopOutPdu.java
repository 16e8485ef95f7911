package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NOP-Out (RFC 7143 §11.18): a ping from the initiator, or its answer to a target's NOP-In.
 *
 * <p>Immutable fields; owns {@code data} (the ping data), so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record NopOutPdu(boolean immediate, long lun, int initiatorTaskTag, int targetTransferTag, int cmdSn,
                        int expStatSn, ByteBuf data) implements InitiatorPdu, DataPdu {

    public NopOutPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public NopOutPdu replace(ByteBuf content) {
        return new NopOutPdu(immediate, lun, initiatorTaskTag, targetTransferTag, cmdSn, expStatSn, content);
    }
}
