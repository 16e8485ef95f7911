package dev.quarry.iscsi.codec;

import static dev.quarry.iscsi.pdu.Bhs.ASYNC_EVENT_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.ASYNC_VCODE_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BIDI_READ_RESIDUAL_COUNT_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BUFFER_OFFSET_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BYTE2_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BYTE3_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.DATA_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.DESIRED_DATA_TRANSFER_LENGTH_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.EXP_CMD_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.EXP_DATA_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.FINAL_BIT;
import static dev.quarry.iscsi.pdu.Bhs.FLAGS_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.INITIATOR_TASK_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.LUN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.MAX_CMD_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.PARAMETER1_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.PARAMETER2_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.PARAMETER3_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.R2T_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.RESIDUAL_COUNT_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.SNACK_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.STATUS_CLASS_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.STATUS_DETAIL_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.STAT_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.TARGET_TRANSFER_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.TIME2RETAIN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.TIME2WAIT_OFFSET;

import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import io.netty.buffer.ByteBuf;

/**
 * The wire layout of target PDUs (RFC 7143 §11.4, 11.6, 11.7.1, 11.8, 11.9, 11.11, 11.13, 11.15,
 * 11.17, 11.19): writes a typed PDU's BHS, and reads one back (for the initiator side and for
 * round-trip tests). Target PDUs carry no AHS.
 *
 * <p>Stateless and thread-safe.
 */
public final class TargetPduLayout {

    private TargetPduLayout() {
    }

    /**
     * Writes the 48-byte BHS of {@code pdu} to {@code out}, with the DataSegmentLength of its data
     * (framed separately by the caller). Borrows both.
     */
    public static void write(TargetPdu pdu, ByteBuf out) {
        int base = out.writerIndex();
        out.writeZero(Bhs.LENGTH);
        out.setByte(base, pdu.opcode().code());
        switch (pdu) {
            case NopInPdu p -> {
                out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
                out.setLong(base + LUN_OFFSET, p.lun());
                tags(out, base, p.initiatorTaskTag(), p.targetTransferTag());
                sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
            }
            case ScsiResponsePdu p -> writeScsiResponse(p, out, base);
            case TaskManagementResponsePdu p -> {
                out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
                out.setByte(base + BYTE2_OFFSET, p.response());
                out.setInt(base + INITIATOR_TASK_TAG_OFFSET, p.initiatorTaskTag());
                sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
            }
            case LoginResponsePdu p -> writeLoginResponse(p, out, base);
            case TextResponsePdu p -> {
                out.setByte(base + FLAGS_OFFSET, (p.finalPdu() ? FINAL_BIT : 0) | (p.continueFlag() ? 0x40 : 0));
                out.setLong(base + LUN_OFFSET, p.lun());
                tags(out, base, p.initiatorTaskTag(), p.targetTransferTag());
                sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
            }
            case DataInPdu p -> writeDataIn(p, out, base);
            case LogoutResponsePdu p -> {
                out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
                out.setByte(base + BYTE2_OFFSET, p.response());
                out.setInt(base + INITIATOR_TASK_TAG_OFFSET, p.initiatorTaskTag());
                sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
                out.setShort(base + TIME2WAIT_OFFSET, p.time2Wait());
                out.setShort(base + TIME2RETAIN_OFFSET, p.time2Retain());
            }
            case R2tPdu p -> writeR2t(p, out, base);
            case AsyncMessagePdu p -> writeAsyncMessage(p, out, base);
            case RejectPdu p -> {
                out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
                out.setByte(base + BYTE2_OFFSET, p.reason());
                out.setInt(base + INITIATOR_TASK_TAG_OFFSET, Bhs.RESERVED_TAG);
                sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
                out.setInt(base + DATA_SN_OFFSET, p.dataSnOrR2tSn());
            }
        }
        if (pdu instanceof DataPdu d) {
            out.setMedium(base + Bhs.DATA_SEGMENT_LENGTH_OFFSET, d.data().readableBytes());
        }
    }

    /**
     * Reads the target PDU whose 48-byte BHS starts at index 0 of {@code header} (borrowed).
     * Takes ownership of {@code data}; PDUs without a data segment release it.
     *
     * @throws IllegalArgumentException when {@code opcode} is an initiator opcode
     */
    public static TargetPdu read(Opcode opcode, ByteBuf header, ByteBuf data) {
        int flags = header.getUnsignedByte(FLAGS_OFFSET);
        int itt = header.getInt(INITIATOR_TASK_TAG_OFFSET);
        int ttt = header.getInt(TARGET_TRANSFER_TAG_OFFSET);
        int statSn = header.getInt(STAT_SN_OFFSET);
        int expCmdSn = header.getInt(EXP_CMD_SN_OFFSET);
        int maxCmdSn = header.getInt(MAX_CMD_SN_OFFSET);
        long lun = header.getLong(LUN_OFFSET);
        TargetPdu pdu = switch (opcode) {
            case NOP_IN -> new NopInPdu(lun, itt, ttt, statSn, expCmdSn, maxCmdSn, data);
            case SCSI_RESPONSE -> new ScsiResponsePdu((flags & 0x10) != 0, (flags & 0x08) != 0, (flags & 0x04) != 0,
                    (flags & 0x02) != 0, header.getUnsignedByte(BYTE2_OFFSET), header.getUnsignedByte(BYTE3_OFFSET), itt,
                    header.getInt(SNACK_TAG_OFFSET), statSn, expCmdSn, maxCmdSn, header.getInt(EXP_DATA_SN_OFFSET),
                    header.getInt(BIDI_READ_RESIDUAL_COUNT_OFFSET), header.getInt(RESIDUAL_COUNT_OFFSET), data);
            case TASK_MGMT_RESPONSE -> new TaskManagementResponsePdu(header.getUnsignedByte(BYTE2_OFFSET), itt, statSn,
                    expCmdSn, maxCmdSn);
            case LOGIN_RESPONSE -> new LoginResponsePdu((flags & 0x80) != 0, (flags & 0x40) != 0, (flags >> 2) & 0x03,
                    flags & 0x03, header.getUnsignedByte(BYTE2_OFFSET), header.getUnsignedByte(BYTE3_OFFSET),
                    InitiatorPduLayout.isid(header), header.getUnsignedShort(Bhs.TSIH_OFFSET), itt, statSn, expCmdSn,
                    maxCmdSn, header.getUnsignedByte(STATUS_CLASS_OFFSET), header.getUnsignedByte(STATUS_DETAIL_OFFSET), data);
            case TEXT_RESPONSE -> new TextResponsePdu((flags & FINAL_BIT) != 0, (flags & 0x40) != 0, lun, itt, ttt, statSn,
                    expCmdSn, maxCmdSn, data);
            case DATA_IN -> new DataInPdu((flags & FINAL_BIT) != 0, (flags & 0x40) != 0, (flags & 0x04) != 0,
                    (flags & 0x02) != 0, (flags & 0x01) != 0, header.getUnsignedByte(BYTE3_OFFSET), lun, itt, ttt, statSn,
                    expCmdSn, maxCmdSn, header.getInt(DATA_SN_OFFSET), header.getInt(BUFFER_OFFSET_OFFSET),
                    header.getInt(RESIDUAL_COUNT_OFFSET), data);
            case LOGOUT_RESPONSE -> new LogoutResponsePdu(header.getUnsignedByte(BYTE2_OFFSET), itt, statSn, expCmdSn,
                    maxCmdSn, header.getUnsignedShort(TIME2WAIT_OFFSET), header.getUnsignedShort(TIME2RETAIN_OFFSET));
            case R2T -> new R2tPdu(lun, itt, ttt, statSn, expCmdSn, maxCmdSn, header.getInt(R2T_SN_OFFSET),
                    header.getInt(BUFFER_OFFSET_OFFSET), header.getInt(DESIRED_DATA_TRANSFER_LENGTH_OFFSET));
            case ASYNC_MESSAGE -> new AsyncMessagePdu(lun, statSn, expCmdSn, maxCmdSn,
                    header.getUnsignedByte(ASYNC_EVENT_OFFSET), header.getUnsignedByte(ASYNC_VCODE_OFFSET),
                    header.getUnsignedShort(PARAMETER1_OFFSET), header.getUnsignedShort(PARAMETER2_OFFSET),
                    header.getUnsignedShort(PARAMETER3_OFFSET), data);
            case REJECT -> new RejectPdu(header.getUnsignedByte(BYTE2_OFFSET), statSn, expCmdSn, maxCmdSn,
                    header.getInt(DATA_SN_OFFSET), data);
            default -> {
                data.release();
                throw new IllegalArgumentException("not a target opcode: " + opcode);
            }
        };
        if (!(pdu instanceof DataPdu)) {
            data.release();
        }
        return pdu;
    }

    private static void writeScsiResponse(ScsiResponsePdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT | (p.bidiReadOverflow() ? 0x10 : 0) | (p.bidiReadUnderflow() ? 0x08 : 0)
                | (p.residualOverflow() ? 0x04 : 0) | (p.residualUnderflow() ? 0x02 : 0));
        out.setByte(base + BYTE2_OFFSET, p.response());
        out.setByte(base + BYTE3_OFFSET, p.status());
        out.setInt(base + INITIATOR_TASK_TAG_OFFSET, p.initiatorTaskTag());
        out.setInt(base + SNACK_TAG_OFFSET, p.snackTag());
        sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
        out.setInt(base + EXP_DATA_SN_OFFSET, p.expDataSn());
        out.setInt(base + BIDI_READ_RESIDUAL_COUNT_OFFSET, p.bidiReadResidualCount());
        out.setInt(base + RESIDUAL_COUNT_OFFSET, p.residualCount());
    }

    private static void writeLoginResponse(LoginResponsePdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, (p.transit() ? 0x80 : 0) | (p.continueFlag() ? 0x40 : 0)
                | (p.currentStage() & 0x03) << 2 | (p.nextStage() & 0x03));
        out.setByte(base + BYTE2_OFFSET, p.versionMax());
        out.setByte(base + BYTE3_OFFSET, p.versionActive());
        InitiatorPduLayout.writeIsid(out, base, p.isid());
        out.setShort(base + Bhs.TSIH_OFFSET, p.tsih());
        out.setInt(base + INITIATOR_TASK_TAG_OFFSET, p.initiatorTaskTag());
        sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
        out.setByte(base + STATUS_CLASS_OFFSET, p.statusClass());
        out.setByte(base + STATUS_DETAIL_OFFSET, p.statusDetail());
    }

    private static void writeDataIn(DataInPdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, (p.finalPdu() ? FINAL_BIT : 0) | (p.acknowledge() ? 0x40 : 0)
                | (p.residualOverflow() ? 0x04 : 0) | (p.residualUnderflow() ? 0x02 : 0) | (p.statusPresent() ? 0x01 : 0));
        out.setByte(base + BYTE3_OFFSET, p.statusPresent() ? p.status() : 0);
        out.setLong(base + LUN_OFFSET, p.lun());
        tags(out, base, p.initiatorTaskTag(), p.targetTransferTag());
        sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
        out.setInt(base + DATA_SN_OFFSET, p.dataSn());
        out.setInt(base + BUFFER_OFFSET_OFFSET, p.bufferOffset());
        out.setInt(base + RESIDUAL_COUNT_OFFSET, p.residualCount());
    }

    private static void writeR2t(R2tPdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
        out.setLong(base + LUN_OFFSET, p.lun());
        tags(out, base, p.initiatorTaskTag(), p.targetTransferTag());
        sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
        out.setInt(base + R2T_SN_OFFSET, p.r2tSn());
        out.setInt(base + BUFFER_OFFSET_OFFSET, p.bufferOffset());
        out.setInt(base + DESIRED_DATA_TRANSFER_LENGTH_OFFSET, p.desiredDataTransferLength());
    }

    private static void writeAsyncMessage(AsyncMessagePdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + INITIATOR_TASK_TAG_OFFSET, Bhs.RESERVED_TAG);
        sequence(out, base, p.statSn(), p.expCmdSn(), p.maxCmdSn());
        out.setByte(base + ASYNC_EVENT_OFFSET, p.asyncEvent());
        out.setByte(base + ASYNC_VCODE_OFFSET, p.asyncVCode());
        out.setShort(base + PARAMETER1_OFFSET, p.parameter1());
        out.setShort(base + PARAMETER2_OFFSET, p.parameter2());
        out.setShort(base + PARAMETER3_OFFSET, p.parameter3());
    }

    private static void tags(ByteBuf out, int base, int initiatorTaskTag, int targetTransferTag) {
        out.setInt(base + INITIATOR_TASK_TAG_OFFSET, initiatorTaskTag);
        out.setInt(base + TARGET_TRANSFER_TAG_OFFSET, targetTransferTag);
    }

    private static void sequence(ByteBuf out, int base, int statSn, int expCmdSn, int maxCmdSn) {
        out.setInt(base + STAT_SN_OFFSET, statSn);
        out.setInt(base + EXP_CMD_SN_OFFSET, expCmdSn);
        out.setInt(base + MAX_CMD_SN_OFFSET, maxCmdSn);
    }
}
