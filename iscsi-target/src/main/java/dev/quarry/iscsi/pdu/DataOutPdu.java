package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SCSI Data-Out (RFC 7143 §11.7.1).
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record DataOutPdu(boolean finalPdu, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSn,
                         int dataSn, int bufferOffset, ByteBuf data) implements InitiatorPdu, DataPdu {

    public DataOutPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_OUT;
    }

    /** The buffer offset as an unsigned number. */
    public long bufferOffsetUnsigned() {
        return Integer.toUnsignedLong(bufferOffset);
    }

    @Override
    public DataOutPdu replace(ByteBuf content) {
        return new DataOutPdu(finalPdu, lun, initiatorTaskTag, targetTransferTag, expStatSn, dataSn, bufferOffset, content);
    }
}
