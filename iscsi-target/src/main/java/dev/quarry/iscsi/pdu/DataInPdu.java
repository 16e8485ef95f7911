package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SCSI Data-In (RFC 7143 §11.7.1), possibly carrying the command's status (S bit, "phase
 * collapse").
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 *
 * @param statusPresent the S bit: {@code status}, {@code statSn} and the residual are valid
 */
public record DataInPdu(boolean finalPdu, boolean acknowledge, boolean residualOverflow, boolean residualUnderflow,
                        boolean statusPresent, int status, long lun, int initiatorTaskTag, int targetTransferTag,
                        int statSn, int expCmdSn, int maxCmdSn, int dataSn, int bufferOffset, int residualCount,
                        ByteBuf data) implements TargetPdu, DataPdu {

    public DataInPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_IN;
    }

    @Override
    public DataInPdu replace(ByteBuf content) {
        return new DataInPdu(finalPdu, acknowledge, residualOverflow, residualUnderflow, statusPresent, status, lun,
                initiatorTaskTag, targetTransferTag, statSn, expCmdSn, maxCmdSn, dataSn, bufferOffset, residualCount,
                content);
    }
}
