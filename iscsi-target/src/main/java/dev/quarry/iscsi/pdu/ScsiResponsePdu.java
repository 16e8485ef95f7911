package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SCSI Response (RFC 7143 §11.4). The data segment holds the 2-byte SenseLength followed by
 * the sense data, when there is sense.
 *
 * <p>Immutable fields; owns {@code data}, so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 *
 * @param response the iSCSI Response field (0 command completed at target, 1 target failure)
 * @param status the SCSI status byte
 */
public record ScsiResponsePdu(boolean bidiReadOverflow, boolean bidiReadUnderflow, boolean residualOverflow,
                              boolean residualUnderflow, int response, int status, int initiatorTaskTag, int snackTag,
                              int statSn, int expCmdSn, int maxCmdSn, int expDataSn, int bidiReadResidualCount,
                              int residualCount, ByteBuf data) implements TargetPdu, DataPdu {

    /** Response field value: command completed at target. */
    public static final int COMMAND_COMPLETED = 0x00;

    public ScsiResponsePdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    @Override
    public ScsiResponsePdu replace(ByteBuf content) {
        return new ScsiResponsePdu(bidiReadOverflow, bidiReadUnderflow, residualOverflow, residualUnderflow, response,
                status, initiatorTaskTag, snackTag, statSn, expCmdSn, maxCmdSn, expDataSn, bidiReadResidualCount,
                residualCount, content);
    }
}
