package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NOP-In (RFC 7143 §11.19): the answer to a ping, or the target's own ping when
 * {@code targetTransferTag} is not the reserved tag.
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record NopInPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSn, int expCmdSn, int maxCmdSn,
                       ByteBuf data) implements TargetPdu, DataPdu {

    public NopInPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }

    @Override
    public NopInPdu replace(ByteBuf content) {
        return new NopInPdu(lun, initiatorTaskTag, targetTransferTag, statSn, expCmdSn, maxCmdSn, content);
    }
}
