package dev.quarry.iscsi.codec;

import static dev.quarry.iscsi.pdu.Bhs.BEG_RUN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BUFFER_OFFSET_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BYTE2_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.BYTE3_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.CDB_LENGTH;
import static dev.quarry.iscsi.pdu.Bhs.CDB_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.CID_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.CMD_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.DATA_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.EXPECTED_DATA_TRANSFER_LENGTH_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.EXP_DATA_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.EXP_STAT_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.FINAL_BIT;
import static dev.quarry.iscsi.pdu.Bhs.FLAGS_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.IMMEDIATE_BIT;
import static dev.quarry.iscsi.pdu.Bhs.INITIATOR_TASK_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.LUN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.OPCODE_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.REFERENCED_TASK_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.REF_CMD_SN_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.RUN_LENGTH_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.TARGET_TRANSFER_TAG_OFFSET;
import static dev.quarry.iscsi.pdu.Bhs.TOTAL_AHS_LENGTH_OFFSET;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.IscsiProtocolException;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.SnackRequestPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import io.netty.buffer.ByteBuf;

/**
 * The wire layout of initiator PDUs (RFC 7143 §11.3, 11.5, 11.7.1, 11.10, 11.12, 11.14, 11.16,
 * 11.18): reads a BHS (+AHS) into a typed PDU and writes a typed PDU's BHS (+AHS). The target
 * reads with it; the initiator side (tests, the remote-LUN initiator) writes with it.
 *
 * <p>Reserved fields are written as zero and ignored on read, as RFC 7143 §11.2 requires of a
 * receiver; reserved values in defined fields raise {@link IscsiProtocolException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class InitiatorPduLayout {

    /** AHSType of the Extended CDB AHS (RFC 7143 §11.2.2.3). */
    static final int AHS_EXTENDED_CDB = 1;
    /** AHSType of the Expected Bidirectional Read Data Length AHS (RFC 7143 §11.2.2.4). */
    static final int AHS_BIDI_READ_LENGTH = 2;
    private static final int AHS_HEADER = 3;
    private static final int BIDI_AHS_LENGTH = 5;

    private InitiatorPduLayout() {
    }

    /**
     * Reads the PDU whose header starts at index 0 of {@code header} (borrowed: BHS followed by
     * {@code ahsLength} bytes of AHS). Takes ownership of {@code data}, which the PDU then holds;
     * releases it when the header is malformed.
     *
     * @throws IscsiProtocolException when a field holds a reserved value or the AHS is malformed
     * @throws IllegalArgumentException when {@code opcode} is a target opcode
     */
    public static InitiatorPdu read(Opcode opcode, ByteBuf header, int ahsLength, ByteBuf data) {
        try {
            return switch (opcode) {
                case NOP_OUT -> new NopOutPdu(immediate(header), header.getLong(LUN_OFFSET), itt(header),
                        header.getInt(TARGET_TRANSFER_TAG_OFFSET), header.getInt(CMD_SN_OFFSET),
                        header.getInt(EXP_STAT_SN_OFFSET), data);
                case SCSI_COMMAND -> readScsiCommand(header, ahsLength, data);
                case TASK_MGMT_REQUEST -> readTaskManagement(header, data);
                case LOGIN_REQUEST -> readLogin(header, data);
                case TEXT_REQUEST -> new TextRequestPdu(immediate(header), flag(header, FINAL_BIT), flag(header, 0x40),
                        header.getLong(LUN_OFFSET), itt(header), header.getInt(TARGET_TRANSFER_TAG_OFFSET),
                        header.getInt(CMD_SN_OFFSET), header.getInt(EXP_STAT_SN_OFFSET), data);
                case DATA_OUT -> new DataOutPdu(flag(header, FINAL_BIT), header.getLong(LUN_OFFSET), itt(header),
                        header.getInt(TARGET_TRANSFER_TAG_OFFSET), header.getInt(EXP_STAT_SN_OFFSET),
                        header.getInt(DATA_SN_OFFSET), header.getInt(BUFFER_OFFSET_OFFSET), data);
                case LOGOUT_REQUEST -> readLogout(header, data);
                case SNACK_REQUEST -> readSnack(header, data);
                default -> throw new IllegalArgumentException("not an initiator opcode: " + opcode);
            };
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
    }

    /** Length of the BHS plus the AHS that {@link #write} produces for {@code pdu}. */
    public static int headerLength(InitiatorPdu pdu) {
        return Bhs.LENGTH + (pdu instanceof ScsiCommandPdu c ? ahsLength(c) : 0);
    }

    /**
     * Writes the BHS (and AHS) of {@code pdu} to {@code out}; the DataSegmentLength field is the
     * readable length of the PDU's data, which the caller frames separately. Borrows both.
     */
    public static void write(InitiatorPdu pdu, ByteBuf out) {
        int base = out.writerIndex();
        out.writeZero(Bhs.LENGTH);
        out.setByte(base + OPCODE_OFFSET, pdu.opcode().code());
        out.setInt(base + INITIATOR_TASK_TAG_OFFSET, pdu.initiatorTaskTag());
        switch (pdu) {
            case NopOutPdu p -> writeNopOut(p, out, base);
            case ScsiCommandPdu p -> writeScsiCommand(p, out, base);
            case TaskManagementRequestPdu p -> writeTaskManagement(p, out, base);
            case LoginRequestPdu p -> writeLogin(p, out, base);
            case TextRequestPdu p -> writeText(p, out, base);
            case DataOutPdu p -> writeDataOut(p, out, base);
            case LogoutRequestPdu p -> writeLogout(p, out, base);
            case SnackRequestPdu p -> writeSnack(p, out, base);
        }
        if (pdu instanceof DataPdu d) {
            out.setMedium(base + Bhs.DATA_SEGMENT_LENGTH_OFFSET, d.data().readableBytes());
        }
    }

    private static ScsiCommandPdu readScsiCommand(ByteBuf header, int ahsLength, ByteBuf data) {
        byte[] cdb = new byte[CDB_LENGTH];
        header.getBytes(CDB_OFFSET, cdb);
        long bidiLength = -1;
        int at = Bhs.LENGTH;
        int end = Bhs.LENGTH + ahsLength;
        while (at < end) {
            if (end - at < AHS_HEADER + 1) {
                throw invalid("truncated AHS");
            }
            int length = header.getUnsignedShort(at);
            int type = header.getUnsignedByte(at + 2);
            int size = Bhs.padded(AHS_HEADER + length);
            if (size > end - at) {
                throw invalid("AHS length " + length + " runs past TotalAHSLength");
            }
            if (type == AHS_EXTENDED_CDB && length >= 2 && cdb.length == CDB_LENGTH) {
                byte[] extended = new byte[CDB_LENGTH + length - 1];
                System.arraycopy(cdb, 0, extended, 0, CDB_LENGTH);
                header.getBytes(at + AHS_HEADER + 1, extended, CDB_LENGTH, length - 1);
                cdb = extended;
            } else if (type == AHS_BIDI_READ_LENGTH && length == BIDI_AHS_LENGTH && bidiLength < 0) {
                bidiLength = header.getUnsignedInt(at + AHS_HEADER + 1);
            } else {
                throw invalid("unexpected AHS type " + type + " length " + length);
            }
            at += size;
        }
        int flags = header.getUnsignedByte(FLAGS_OFFSET);
        return new ScsiCommandPdu(immediate(header), (flags & FINAL_BIT) != 0, (flags & 0x40) != 0, (flags & 0x20) != 0,
                flags & 0x07, header.getLong(LUN_OFFSET), itt(header), header.getInt(EXPECTED_DATA_TRANSFER_LENGTH_OFFSET),
                header.getInt(CMD_SN_OFFSET), header.getInt(EXP_STAT_SN_OFFSET), cdb, bidiLength, data);
    }

    private static TaskManagementRequestPdu readTaskManagement(ByteBuf header, ByteBuf data) {
        requireNoData(header, data);
        return new TaskManagementRequestPdu(immediate(header), header.getUnsignedByte(FLAGS_OFFSET) & 0x7F,
                header.getLong(LUN_OFFSET), itt(header), header.getInt(REFERENCED_TASK_TAG_OFFSET),
                header.getInt(CMD_SN_OFFSET), header.getInt(EXP_STAT_SN_OFFSET), header.getInt(REF_CMD_SN_OFFSET),
                header.getInt(EXP_DATA_SN_OFFSET));
    }

    private static LoginRequestPdu readLogin(ByteBuf header, ByteBuf data) {
        int flags = header.getUnsignedByte(FLAGS_OFFSET);
        return new LoginRequestPdu((flags & 0x80) != 0, (flags & 0x40) != 0, (flags >> 2) & 0x03, flags & 0x03,
                header.getUnsignedByte(BYTE2_OFFSET), header.getUnsignedByte(BYTE3_OFFSET), isid(header),
                header.getUnsignedShort(Bhs.TSIH_OFFSET), itt(header), header.getUnsignedShort(CID_OFFSET),
                header.getInt(CMD_SN_OFFSET), header.getInt(EXP_STAT_SN_OFFSET), data);
    }

    private static LogoutRequestPdu readLogout(ByteBuf header, ByteBuf data) {
        requireNoData(header, data);
        return new LogoutRequestPdu(immediate(header), header.getUnsignedByte(FLAGS_OFFSET) & 0x7F, itt(header),
                header.getUnsignedShort(CID_OFFSET), header.getInt(CMD_SN_OFFSET), header.getInt(EXP_STAT_SN_OFFSET));
    }

    private static SnackRequestPdu readSnack(ByteBuf header, ByteBuf data) {
        requireNoData(header, data);
        return new SnackRequestPdu(header.getUnsignedByte(FLAGS_OFFSET) & 0x0F, header.getLong(LUN_OFFSET), itt(header),
                header.getInt(TARGET_TRANSFER_TAG_OFFSET), header.getInt(EXP_STAT_SN_OFFSET), header.getInt(BEG_RUN_OFFSET),
                header.getInt(RUN_LENGTH_OFFSET));
    }

    private static void writeNopOut(NopOutPdu p, ByteBuf out, int base) {
        immediate(out, base, p.immediate());
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT);
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + TARGET_TRANSFER_TAG_OFFSET, p.targetTransferTag());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
    }

    private static void writeScsiCommand(ScsiCommandPdu p, ByteBuf out, int base) {
        immediate(out, base, p.immediate());
        out.setByte(base + FLAGS_OFFSET, (p.finalPdu() ? FINAL_BIT : 0) | (p.read() ? 0x40 : 0) | (p.write() ? 0x20 : 0)
                | (p.attr() & 0x07));
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + EXPECTED_DATA_TRANSFER_LENGTH_OFFSET, p.expectedDataTransferLength());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
        byte[] cdb = p.cdb();
        out.setBytes(base + CDB_OFFSET, cdb, 0, CDB_LENGTH);
        int ahs = ahsLength(p);
        out.setByte(base + TOTAL_AHS_LENGTH_OFFSET, ahs / 4);
        if (cdb.length > CDB_LENGTH) {
            int length = cdb.length - CDB_LENGTH + 1;
            out.writeShort(length).writeByte(AHS_EXTENDED_CDB).writeByte(0);
            out.writeBytes(cdb, CDB_LENGTH, cdb.length - CDB_LENGTH);
            out.writeZero(Bhs.padded(AHS_HEADER + length) - AHS_HEADER - length);
        }
        if (p.bidirectionalReadDataLength() >= 0) {
            out.writeShort(BIDI_AHS_LENGTH).writeByte(AHS_BIDI_READ_LENGTH).writeByte(0);
            out.writeInt((int) p.bidirectionalReadDataLength());
        }
    }

    private static void writeTaskManagement(TaskManagementRequestPdu p, ByteBuf out, int base) {
        immediate(out, base, p.immediate());
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT | (p.function() & 0x7F));
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + REFERENCED_TASK_TAG_OFFSET, p.referencedTaskTag());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
        out.setInt(base + REF_CMD_SN_OFFSET, p.refCmdSn());
        out.setInt(base + EXP_DATA_SN_OFFSET, p.expDataSn());
    }

    private static void writeLogin(LoginRequestPdu p, ByteBuf out, int base) {
        immediate(out, base, true);
        out.setByte(base + FLAGS_OFFSET, (p.transit() ? 0x80 : 0) | (p.continueFlag() ? 0x40 : 0)
                | (p.currentStage() & 0x03) << 2 | (p.nextStage() & 0x03));
        out.setByte(base + BYTE2_OFFSET, p.versionMax());
        out.setByte(base + BYTE3_OFFSET, p.versionMin());
        writeIsid(out, base, p.isid());
        out.setShort(base + Bhs.TSIH_OFFSET, p.tsih());
        out.setShort(base + CID_OFFSET, p.cid());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
    }

    private static void writeText(TextRequestPdu p, ByteBuf out, int base) {
        immediate(out, base, p.immediate());
        out.setByte(base + FLAGS_OFFSET, (p.finalPdu() ? FINAL_BIT : 0) | (p.continueFlag() ? 0x40 : 0));
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + TARGET_TRANSFER_TAG_OFFSET, p.targetTransferTag());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
    }

    private static void writeDataOut(DataOutPdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, p.finalPdu() ? FINAL_BIT : 0);
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + TARGET_TRANSFER_TAG_OFFSET, p.targetTransferTag());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
        out.setInt(base + DATA_SN_OFFSET, p.dataSn());
        out.setInt(base + BUFFER_OFFSET_OFFSET, p.bufferOffset());
    }

    private static void writeLogout(LogoutRequestPdu p, ByteBuf out, int base) {
        immediate(out, base, p.immediate());
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT | (p.reasonCode() & 0x7F));
        out.setShort(base + CID_OFFSET, p.cid());
        out.setInt(base + CMD_SN_OFFSET, p.cmdSn());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
    }

    private static void writeSnack(SnackRequestPdu p, ByteBuf out, int base) {
        out.setByte(base + FLAGS_OFFSET, FINAL_BIT | (p.type() & 0x0F));
        out.setLong(base + LUN_OFFSET, p.lun());
        out.setInt(base + TARGET_TRANSFER_TAG_OFFSET, p.targetTransferTag());
        out.setInt(base + EXP_STAT_SN_OFFSET, p.expStatSn());
        out.setInt(base + BEG_RUN_OFFSET, p.begRun());
        out.setInt(base + RUN_LENGTH_OFFSET, p.runLength());
    }

    private static int ahsLength(ScsiCommandPdu p) {
        int length = 0;
        if (p.cdb().length > CDB_LENGTH) {
            length += Bhs.padded(AHS_HEADER + p.cdb().length - CDB_LENGTH + 1);
        }
        if (p.bidirectionalReadDataLength() >= 0) {
            length += Bhs.padded(AHS_HEADER + BIDI_AHS_LENGTH);
        }
        return length;
    }

    /** PDUs without a data segment must not carry one (the framing already consumed it). */
    private static void requireNoData(ByteBuf header, ByteBuf data) {
        if (data.isReadable()) {
            throw invalid("opcode 0x" + Integer.toHexString(header.getUnsignedByte(OPCODE_OFFSET) & 0x3F)
                    + " carries no data segment");
        }
        data.release();
    }

    static long isid(ByteBuf header) {
        return (long) header.getUnsignedShort(Bhs.ISID_OFFSET) << 32 | header.getUnsignedInt(Bhs.ISID_OFFSET + 2);
    }

    static void writeIsid(ByteBuf out, int base, long isid) {
        out.setShort(base + Bhs.ISID_OFFSET, (int) (isid >>> 32));
        out.setInt(base + Bhs.ISID_OFFSET + 2, (int) isid);
    }

    private static boolean immediate(ByteBuf header) {
        return (header.getUnsignedByte(OPCODE_OFFSET) & IMMEDIATE_BIT) != 0;
    }

    private static void immediate(ByteBuf out, int base, boolean immediate) {
        if (immediate) {
            out.setByte(base + OPCODE_OFFSET, out.getByte(base + OPCODE_OFFSET) | IMMEDIATE_BIT);
        }
    }

    private static boolean flag(ByteBuf header, int mask) {
        return (header.getUnsignedByte(FLAGS_OFFSET) & mask) != 0;
    }

    private static int itt(ByteBuf header) {
        return header.getInt(INITIATOR_TASK_TAG_OFFSET);
    }

    private static IscsiProtocolException invalid(String message) {
        return new IscsiProtocolException(RejectReason.INVALID_PDU_FIELD, message);
    }
}
